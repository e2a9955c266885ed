using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>Reads the first worksheet of an .xlsx as text rows: enough to check an export without an Excel library.</summary>
public static class Xlsx
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>Every row as its cells' text (shared and inline strings as written, numbers in invariant form, dates as yyyy-MM-dd when styled as dates), empty cells filled in.</summary>
    /// <param name="bytes">The workbook.</param>
    /// <param name="fillMerged">Give every cell of a merged range the value of its first cell, as a reader of the printed table sees it.</param>
    public static List<List<string>> ReadFirstSheet(byte[] bytes, bool fillMerged = false)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        XDocument Load(string path)
        {
            using var stream = (zip.GetEntry(path) ?? throw new InvalidDataException($"no {path} in the workbook")).Open();
            return XDocument.Load(stream);
        }

        var workbook = Load("xl/workbook.xml");
        var firstSheet = workbook.Descendants(Main + "sheet").First();
        var relationshipId = firstSheet.Attribute(Relationships + "id")!.Value;
        var target = Load("xl/_rels/workbook.xml.rels").Root!.Elements().Single(e => e.Attribute("Id")!.Value == relationshipId).Attribute("Target")!.Value;
        var sheetPath = target.StartsWith('/') ? target[1..] : "xl/" + target;

        var shared = zip.GetEntry("xl/sharedStrings.xml") is null
            ? []
            : Load("xl/sharedStrings.xml").Root!.Elements(Main + "si").Select(si => string.Concat(si.Descendants(Main + "t").Select(t => t.Value))).ToList();
        var dateStyles = DateStyles(zip.GetEntry("xl/styles.xml") is null ? null : Load("xl/styles.xml"));

        var rows = new List<List<string>>();
        foreach (var row in Load(sheetPath).Descendants(Main + "row"))
        {
            var cells = new List<string>();
            foreach (var c in row.Elements(Main + "c"))
            {
                var column = c.Attribute("r") is { } r ? ColumnIndex(r.Value) : cells.Count;
                while (cells.Count < column)
                {
                    cells.Add(string.Empty);
                }

                var type = c.Attribute("t")?.Value;
                var value = c.Element(Main + "v")?.Value;
                var style = int.TryParse(c.Attribute("s")?.Value, CultureInfo.InvariantCulture, out var s) ? s : 0;
                cells.Add(type switch
                {
                    "s" => shared[int.Parse(value!, CultureInfo.InvariantCulture)],
                    "inlineStr" => string.Concat(c.Descendants(Main + "t").Select(t => t.Value)),
                    "str" => value ?? string.Empty,
                    _ when value is not null && dateStyles.Contains(style) => DateOnly.FromDateTime(DateTime.FromOADate(double.Parse(value, CultureInfo.InvariantCulture))).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    _ => value ?? string.Empty,
                });
            }

            rows.Add(cells);
        }

        if (fillMerged)
        {
            foreach (var merge in Load(sheetPath).Descendants(Main + "mergeCell"))
            {
                var ends = merge.Attribute("ref")!.Value.Split(':');
                var (firstRow, firstColumn) = (RowIndex(ends[0]), ColumnIndex(ends[0]));
                var (lastRow, lastColumn) = (RowIndex(ends[1]), ColumnIndex(ends[1]));
                var value = firstRow < rows.Count && firstColumn < rows[firstRow].Count ? rows[firstRow][firstColumn] : string.Empty;
                for (var r = firstRow; r <= lastRow && r < rows.Count; r++)
                {
                    while (rows[r].Count <= lastColumn)
                    {
                        rows[r].Add(string.Empty);
                    }

                    for (var c = firstColumn; c <= lastColumn; c++)
                    {
                        rows[r][c] = value;
                    }
                }
            }
        }

        return rows;
    }

    /// <summary>The 0-based row of a cell reference; the sheet's rows are read in order from row 1 without gaps.</summary>
    private static int RowIndex(string reference) => int.Parse(reference.AsSpan(reference.TakeWhile(char.IsLetter).Count()), CultureInfo.InvariantCulture) - 1;

    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var ch in reference.TakeWhile(char.IsLetter))
        {
            index = (index * 26) + (char.ToUpperInvariant(ch) - 'A' + 1);
        }

        return index - 1;
    }

    /// <summary>The cell formats whose number format shows a date (built-in 14–22 or a custom one with y/m/d).</summary>
    private static HashSet<int> DateStyles(XDocument? styles)
    {
        var result = new HashSet<int>();
        if (styles is null)
        {
            return result;
        }

        var custom = styles.Descendants(Main + "numFmt").ToDictionary(n => int.Parse(n.Attribute("numFmtId")!.Value, CultureInfo.InvariantCulture), n => n.Attribute("formatCode")!.Value);
        var xfs = styles.Root!.Element(Main + "cellXfs")?.Elements(Main + "xf").ToList() ?? [];
        for (var i = 0; i < xfs.Count; i++)
        {
            var id = int.Parse(xfs[i].Attribute("numFmtId")?.Value ?? "0", CultureInfo.InvariantCulture);
            if (id is >= 14 and <= 22 || (custom.TryGetValue(id, out var code) && code.Contains('y', StringComparison.OrdinalIgnoreCase) && code.Contains('d', StringComparison.OrdinalIgnoreCase)))
            {
                result.Add(i);
            }
        }

        return result;
    }
}

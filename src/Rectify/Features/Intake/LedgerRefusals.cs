using System.Globalization;
using Rectify.Domain;

namespace Rectify.Features.Intake;

// Why a workbook is not read at all. Each is thrown as a BusinessRuleViolationException (Refusal.Invalid: a 400, or
// the upload form's message) before any of the file is interpreted; row-level trouble is an IntakeProblem instead.

/// <summary>An .xls (OLE2 compound file): the old binary format is not read.</summary>
internal sealed class LegacyExcelFilesAreNotRead() : Refused(
    "这是旧版 Excel（.xls）或 WPS 表格（.et）文件，不能直接导入。请用 Excel 或 WPS 打开它，“另存为”Excel 工作簿（*.xlsx）后再导入。",
    Refusal.Invalid);

/// <summary>An encrypted workbook: an OLE2 file holding EncryptionInfo and EncryptedPackage.</summary>
internal sealed class PasswordProtectedFilesAreNotRead() : Refused(
    "文件受密码保护，请取消密码后再导入（在 Excel 或 WPS 中打开文件，清除“用密码进行加密”的密码并保存）。",
    Refusal.Invalid);

/// <summary>Not a zip, a damaged one, or a zip that is not a spreadsheet.</summary>
internal sealed class LedgerFileMustBeAnXlsxWorkbook() : Refused(
    "文件已损坏，或不是 Excel 工作簿（.xlsx）。请用 Excel 或 WPS 打开确认，重新保存为 .xlsx 后再导入。",
    Refusal.Invalid);

/// <summary>The file, or what it unpacks to, is larger than the reader takes, or packs suspiciously tightly (a zip bomb).</summary>
internal sealed class LedgerFileMustStayWithinSizeLimits(string what) : Refused(
    $"文件{what}，不像正常的整改台账，已拒绝读取。请删除无关的工作表、图片后再导入，或拆分为多个文件。",
    Refusal.Invalid);

internal sealed class WorkbookMustHoldTheChosenSheet(string choice) : Refused(
    $"工作簿中没有{choice}。",
    Refusal.Invalid);

internal sealed class LedgerSheetMustNotBeEmpty(string sheet) : Refused(
    $"工作表“{sheet}”是空的，没有可导入的内容。请选择填写了台账的工作表，或下载导入模板填写后再导入。",
    Refusal.Invalid);

internal sealed class LedgerSheetMustHaveAHeaderRow(string sheet, int window) : Refused(
    $"工作表“{sheet}”的前 {window} 行中找不到表头：应有一行列名，至少包括“整改措施”（或“整改任务”）和“反馈问题”“整改时限”“牵头单位”等中的一个。可下载导入模板对照。",
    Refusal.Invalid);

internal sealed class LedgerSheetHasAtMostSoManyRows(string sheet, int most) : Refused(
    $"工作表“{sheet}”的数据超过 {most.ToString("N0", CultureInfo.InvariantCulture)} 行，一次导入不了这么多。请拆分为多个文件分批导入。",
    Refusal.Invalid);

internal sealed class FormulasMustCarryTheirResults(string sheet, string cell) : Refused(
    $"工作表“{sheet}”的单元格 {cell} 是公式，但文件中没有保存它的计算结果（有些程序生成的文件会这样）。请用 Excel 或 WPS 打开文件、保存后再导入。",
    Refusal.Invalid);

using Rectify.Access;

namespace Rectify.IntegrationTests;

/// <summary>docs/permissions.tsv against the one permission table: every step, every role, on the caller's own unit's measure and on another's.</summary>
public sealed class PermissionMatrixTests
{
    private static readonly Dictionary<string, string> RoleOf = new(StringComparer.Ordinal)
    {
        ["office"] = Roles.RectificationOffice,
        ["unit"] = Roles.UnitReporter,
        ["leader"] = Roles.ResponsibleLeader,
        ["first"] = Roles.FirstResponsible,
        ["body"] = Roles.InspectionBody,
        ["discipline"] = Roles.DisciplineOfficer,
        ["sysadmin"] = Roles.SystemAdministrator,
        ["secadmin"] = Roles.SecurityAdministrator,
        ["auditadmin"] = Roles.AuditAdministrator,
    };

    [Fact]
    public void Every_step_is_written_down_and_the_table_grants_exactly_what_the_file_says()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "permissions.tsv")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var header = lines[0].Split('\t');
        Assert.Equal("step", header[0]);
        Assert.Equal(RoleOf.Keys.Order(StringComparer.Ordinal), header.Skip(1).Order(StringComparer.Ordinal));

        var listed = new HashSet<Permission>();
        var wrong = new List<string>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split('\t');
            Assert.True(cells.Length == header.Length, $"permissions.tsv: “{line}” has {cells.Length} cells, expected {header.Length}");
            Assert.True(Enum.TryParse<Permission>(cells[0], out var step), $"permissions.tsv names a step that does not exist: {cells[0]}");
            Assert.True(listed.Add(step), $"permissions.tsv lists {step} twice");
            for (var c = 1; c < header.Length; c++)
            {
                // A caller in unit /1/2/ of organization /1/: a measure of theirs (their unit leads it, a unit under theirs
                // supports it, they answer for it as its responsible leader) and one of somebody else's (another unit leads
                // and another supports it, another leader answers for it).
                var scope = new AccessScope("u", 2, "/1/2/", new HashSet<string> { RoleOf[header[c]] });
                var own = Permissions.May(scope, step, new MeasureParties("/1/2/7/", "u", ["/1/2/8/"]));
                var other = Permissions.May(scope, step, new MeasureParties("/1/3/", "someone-else", ["/1/3/9/"]));
                var actual = own && other ? "yes" : own ? "own" : other ? "other?" : "no";
                if (actual != cells[c])
                {
                    wrong.Add($"{step} × {header[c]}: file says {cells[c]}, the table grants {actual}");
                }
            }
        }

        var missing = Enum.GetValues<Permission>().Where(p => !listed.Contains(p)).ToList();
        Assert.True(missing.Count == 0, "steps missing from docs/permissions.tsv: " + string.Join(", ", missing));
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}

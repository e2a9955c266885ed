using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Documents;
using Rectify.Domain;
using Rectify.Features.Publications;

namespace Rectify.Demo;

/// <summary>
/// `serve --demo`: imports the real seed notice through the parser and the importer (the path a user's import
/// takes), then fills in what the notice is silent on (kinds, deadlines, leaders, most units, states) and marks
/// each such value as a demo assumption.
/// </summary>
public sealed class DemoSeeder(RectifyDbContext db, UserAdministration administration, AuditLog audit, TimeProvider clock)
{
    public const string DemoMarkerKey = "demo.seeded";
    public const string CredentialsFileName = "demo-credentials.txt";

    /// <summary>Units the seed notice names in its measures, verbatim; a measure naming one is led by it.</summary>
    internal static readonly string[] NamedUnits = ["纪检监察办", "财审中心", "工程建设中心", "规划管理所", "“拓空间”指挥部"];

    /// <summary>Lead units the demo assumes by category where a measure names none.</summary>
    private static readonly string[] AssumedUnitByCategory = ["党政办公室", "经济发展局", "纪检监察办", "党建工作办公室", "党建工作办公室", "纪检监察办"];

    public sealed record SeedResult(bool Imported, int Inspections, int Findings, int Measures, IReadOnlyList<(string UserName, string DisplayName)> Accounts);

    public static string ReadSeedNotice()
    {
        using var stream = typeof(DemoSeeder).Assembly.GetManifestResourceStream("Rectify.Demo.seed-notice.txt")
            ?? throw new InvalidOperationException("The seed notice is not embedded in the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Seeds an empty database. A database that already holds the demo is left as it is; any other non-empty database is refused.</summary>
    public async Task<SeedResult> SeedAsync(string password, CancellationToken cancellationToken)
    {
        var isDemo = await db.AppSettings.AnyAsync(s => s.Key == DemoMarkerKey, cancellationToken);
        var inspections = await db.Inspections.CountAsync(cancellationToken);
        var hasUsers = await db.Users.AnyAsync(cancellationToken);
        if (isDemo)
        {
            return new SeedResult(false, inspections, await db.Findings.CountAsync(cancellationToken), await db.Measures.CountAsync(cancellationToken), DemoAccounts);
        }

        if (inspections > 0 || hasUsers || await db.Organizations.AnyAsync(cancellationToken))
        {
            throw new DemoRefusedException(
                $"数据库不是空的（已有 {inspections} 个巡察{(hasUsers ? "和用户账号" : string.Empty)}），--demo 只在空数据库上导入演示数据，本次没有做任何修改。"
                + "请使用新的数据目录（--data 或 Rectify:DataFolder），或不带 --demo 运行 serve。");
        }

        var notice = NoticeParser.Parse(ReadSeedNotice());
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // The notice says "市委" and gives an address in 东莞市: the city committee's full name is the demo's inference.
        var city = new Organization("中共东莞市委员会", OrganizationKind.PartyCommittee, shortName: "市委", isAssumption: true);
        db.Organizations.Add(city);
        await db.SaveChangesAsync(cancellationToken);
        city.AssignPath();

        var imported = await new NoticeImporter(db).ImportAsync(notice, city, cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.NoticeImported, ObjectType: "Inspection", ObjectId: imported.Inspection.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), After: new { imported.Inspection.Title, Findings = notice.FindingCount, Measures = notice.MeasureCount }),
            cancellationToken: cancellationToken);
        var accounts = await CreateAccountsAsync(password, city, imported.Inspection.InspectingBody, imported.InspectedOrganization, cancellationToken);
        var units = await PlanAsync(imported, [new(accounts["office"].Id, "整改办（演示）"), new(accounts["unit"].Id, "纪检监察办联络员（演示）"), new(accounts["leader"].Id, "责任领导（演示）")], accounts["secretary"].Id, cancellationToken);

        // The notice itself, as the office's first draft of its publication: composed by the path any inspection's
        // takes, carrying the notice's own intro, paragraphs, disclosure facts, issuer and date.
        var inspection = imported.Inspection;
        var draft = PublicationDraft.ForInspection(
            new InspectionFacts(inspection.Kind, inspection.InspectingBody.Name, imported.InspectedOrganization.Name, imported.InspectedOrganization.ShortName, inspection.OnSiteFrom, inspection.OnSiteTo, inspection.FeedbackDate),
            ChinaTime.Today(clock)).WithNotice(notice);
        db.Publications.Add(Publication.Start(inspection.Id, PublicationService.NewPublicKey(), draft.ToJson(), draft.DisclosureFrom, draft.DisclosureTo, new Actor(accounts["office"].Id, "整改办（演示）"), clock));
        await db.SaveChangesAsync(cancellationToken);

        // The unit reporter works in 纪检监察办, which the plan created.
        await administration.SetOrganizationAsync(accounts["unit"], units["纪检监察办"].Id);
        await audit.RecordAsync(new AuditEvent(AuditActions.DemoSeeded, After: new { Accounts = DemoAccounts.Select(a => a.UserName) }), cancellationToken: cancellationToken);
        db.AppSettings.Add(new AppSetting { Key = DemoMarkerKey, Value = clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture) });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SeedResult(true, 1, notice.FindingCount, notice.MeasureCount, DemoAccounts);
    }

    public static string NewPassword()
    {
        // A random password may, rarely, spell a demo account's name (the password policy refuses it): draw again.
        while (true)
        {
            var password = InitialPasswords.New();
            if (!DemoAccounts.Any(a => password.Contains(a.UserName, StringComparison.OrdinalIgnoreCase)))
            {
                return password;
            }
        }
    }

    internal static readonly IReadOnlyList<(string UserName, string DisplayName)> DemoAccounts =
    [
        ("office", "整改办（演示）"),
        ("unit", "纪检监察办联络员（演示）"),
        ("leader", "责任领导（演示）"),
        ("inspector", "市委第七巡察组（演示）"),
        ("admin", "系统管理员（演示）"),
        ("secretary", "第一责任人（演示）"),
        ("discipline", "纪检监察（演示）"),
        ("secadmin", "安全管理员（演示）"),
        ("auditadmin", "审计管理员（演示）"),
    ];

    /// <summary>The demo's people, each with the one role the name says, at the organization they work in.</summary>
    private async Task<Dictionary<string, RectifyUser>> CreateAccountsAsync(string password, Organization city, Organization team, Organization inspected, CancellationToken cancellationToken)
    {
        // Each account by the role's name as the office says it (Roles.Parse reads the label).
        (string Role, Organization Organization)[] where =
        [
            (Roles.Parse("整改办")!, inspected),
            (Roles.Parse("责任单位联络员")!, inspected),
            (Roles.Parse("责任领导")!, inspected),
            (Roles.Parse("巡察机构")!, team),
            (Roles.Parse("系统管理员")!, city),
            (Roles.Parse("第一责任人")!, inspected),
            (Roles.Parse("纪检监察")!, inspected),
            (Roles.Parse("安全管理员")!, city),
            (Roles.Parse("审计管理员")!, city),
        ];
        var created = new Dictionary<string, RectifyUser>(StringComparer.Ordinal);
        for (var i = 0; i < DemoAccounts.Count; i++)
        {
            var (userName, displayName) = DemoAccounts[i];
            created[userName] = await administration.CreateAsync(
                userName, displayName, where[i].Organization.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), [where[i].Role], password, cancellationToken, initialPassword: false);
        }

        return created;
    }

    private async Task<Dictionary<string, Organization>> PlanAsync(NoticeImporter.Result imported, List<Actor> accounts, string secretaryUserId, CancellationToken cancellationToken)
    {
        var inspected = imported.InspectedOrganization;
        var units = new Dictionary<string, Organization>(StringComparer.Ordinal);
        Organization Unit(string name)
        {
            if (!units.TryGetValue(name, out var unit))
            {
                // A unit the notice names is data even where the demo picks it for a measure that does not name it.
                unit = new Organization(name, OrganizationKind.Department, inspected, isAssumption: !NamedUnits.Contains(name));
                db.Organizations.Add(unit);
                units[name] = unit;
            }

            return unit;
        }

        var secretary = new Person("演示书记", "党工委书记（第一责任人）", inspected, isAssumption: true);
        var leaders = new[]
        {
            new Person("演示领导甲", "党工委副书记", inspected, isAssumption: true),
            new Person("演示领导乙", "党工委委员、办事处副主任", inspected, isAssumption: true),
            new Person("演示领导丙", "党工委委员、纪工委书记", inspected, isAssumption: true),
        };
        db.People.Add(secretary);
        db.People.AddRange(leaders);

        // The demo's leader account is 演示领导丙 (纪工委书记), who answers for 纪检监察办's measures; the secretary
        // account is the first responsible person. The other two leaders have no account in the demo.
        leaders[2].LinkAccount(accounts[2].UserId);
        secretary.LinkAccount(secretaryUserId);

        var feedback = imported.Inspection.FeedbackDate ?? ChinaTime.Today(clock);
        var (office, unitActor, leaderActor) = (accounts[0], accounts[1], accounts[2]);

        // Demo history is dated at the notice's publication, when it reported this progress.
        var noticeDay = new DateTimeOffset(2025, 10, 16, 9, 0, 0, ChinaTime.Offset);
        var historyClock = new FixedClock(noticeDay);

        foreach (var measure in imported.Measures)
        {
            var categoryNumber = measure.Finding.Category.Number;
            var named = NamedUnits.Where(u => measure.Text.Contains(u, StringComparison.Ordinal)).ToList();
            var assumed = AssumedFields.Kind | AssumedFields.Deadline | AssumedFields.ResponsibleLeader;
            Organization lead;
            if (named.Count > 0)
            {
                lead = Unit(named[0]);
            }
            else
            {
                lead = Unit(AssumedUnitByCategory[(categoryNumber - 1) % AssumedUnitByCategory.Length]);
                assumed |= AssumedFields.LeadUnit;
            }

            var kind = GuessKind(measure.Text);
            // 立行立改 within a month of the feedback; 限期整改 within six months for the communities' and the
            // audit's problems, by the end of 2026 for the rest; 长期坚持 has no end date.
            DateOnly? deadline = kind switch
            {
                MeasureKind.Immediate => feedback.AddMonths(1),
                MeasureKind.TimeBound => categoryNumber >= 5 ? feedback.AddMonths(6) : new DateOnly(2026, 12, 31),
                _ => null,
            };
            var leader = categoryNumber is 3 or 6 || lead.Name == "纪检监察办" ? leaders[2] : leaders[(measure.Finding.Number + measure.Number) % 2];
            measure.Plan(kind, deadline, leader, lead, assumed);
            foreach (var supporting in named.Skip(1))
            {
                measure.AddSupportingUnit(Unit(supporting));
            }

        }

        // The plan was adopted (the notice reports on it); the meeting and its date are the demo's assumption.
        var inspection = imported.Inspection;
        inspection.SubmitPlan(imported.Measures.Count, [], office, historyClock);
        var meetingDay = feedback.AddDays(30) is var d && d < DateOnly.FromDateTime(noticeDay.Date) ? d : DateOnly.FromDateTime(noticeDay.Date);
        inspection.ApprovePlan("演示假设：党工委会议审定整改方案", meetingDay, imported.Measures, new Actor(secretaryUserId, "第一责任人（演示）"), historyClock);

        // States: the notice reports what was done, not per-measure states. Measures it reports as
        // finished are signed off; ongoing work is 长期坚持; the rest are in progress.
        foreach (var measure in imported.Measures)
        {
            measure.Start(unitActor, historyClock);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var measure in imported.Measures.Where(m => m.Kind != MeasureKind.Ongoing && ReportsCompletion(m.Text)))
        {
            // 销号 stands on an accepted report: the notice's own words are the demo's final report.
            var report = ProgressReport.File(measure, previous: null, "演示假设：以公告所述进展作为报送内容。" + measure.Text, 100, DateOnly.FromDateTime(noticeDay.Date), unitActor, historyClock);
            db.ProgressReports.Add(report);
            report.Accept(measure, office, historyClock);
            measure.ApplyForSignOff(unitActor, historyClock, "演示假设：公告称该项已完成");
            measure.AcceptApplication(office, historyClock);
            measure.Approve(leaderActor, historyClock);
        }

        await db.SaveChangesAsync(cancellationToken);
        NoticeImporter.AssignPaths([.. units.Values]);
        await db.SaveChangesAsync(cancellationToken);
        return units;
    }

    private static MeasureKind GuessKind(string text)
    {
        string[] ongoing = ["常态化", "长效", "每周", "每月", "每季度", "持续", "定期"];
        if (ongoing.Any(w => text.Contains(w, StringComparison.Ordinal)))
        {
            return MeasureKind.Ongoing;
        }

        return text.Length < 60 ? MeasureKind.Immediate : MeasureKind.TimeBound;
    }

    private static bool ReportsCompletion(string text) =>
        text.Contains("完成", StringComparison.Ordinal) || text.Contains('已', StringComparison.Ordinal) || text.Contains("建成", StringComparison.Ordinal);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}

public sealed class DemoRefusedException : Exception
{
    public DemoRefusedException(string message)
        : base(message)
    {
    }

    public DemoRefusedException()
    {
    }

    public DemoRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

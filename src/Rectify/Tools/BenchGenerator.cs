using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Rectify.Data;
using Rectify.Demo;
using Rectify.Domain;
using Rectify.Features.Publications;

namespace Rectify.Tools;

public enum BenchScale
{
    /// <summary>A few thousand measures: for tests (QueryPlanTests) and a first look.</summary>
    Small,

    /// <summary>A city (DESIGN.md's size for one machine): 300 organizations, 1,000 inspections, about 120,000 measures.</summary>
    City,

    /// <summary>A province: ten cities' worth, for PostgreSQL.</summary>
    Province,
}

/// <summary>The size of each part of a generated installation.</summary>
public sealed record BenchShape(
    int Organizations,
    int Teams,
    int CityDepartments,
    int Districts,
    int DepartmentsPerDistrict,
    int TownsPerDistrict,
    int UnitsPerTown,
    int Inspections,
    IReadOnlyList<int> BigInspections,
    int MinMeasures,
    int MaxMeasures)
{
    public static BenchShape Of(BenchScale scale) => scale switch
    {
        BenchScale.Small => new(40, 2, 3, 2, 2, 2, 3, 12, [600], 50, 150),
        BenchScale.City => new(300, 10, 28, 8, 4, 5, 4, 1000, [10_000, 5_000, 2_000, 2_000, 1_000, 1_000, 1_000], 50, 150),
        _ => new(3000, 15, 280, 80, 4, 5, 4, 10_000, [.. Enumerable.Repeat<int[]>([10_000, 5_000, 2_000, 2_000, 1_000, 1_000, 1_000], 10).SelectMany(x => x)], 50, 150),
    };
}

/// <summary>What a run wrote: rows per table, the time it took and the database's size.</summary>
public sealed record BenchResult(IReadOnlyList<(string Table, long Rows)> Rows, TimeSpan Elapsed, long Bytes, IReadOnlyList<(int Inspection, int Measures)> BigInspections);

/// <summary>
/// Generates a realistic installation for the load suite (docs/adr/0030): an organization tree (a party committee with
/// its inspection office and teams, departments, districts with their departments, towns and communities), accounts
/// and responsible people, and inspections whose measures have lived: the transitions that brought each to its state,
/// ~10 progress reports each (some returned and revised), evidence, look-backs, deadline extensions and 督办; the
/// registers (建章立制, 整改成效, 问题线索); and public notices (drafts, submitted, published and corrected, composed by
/// the product's own composer) with the opinions the public sent on them. Deterministic for a seed (System.Random with a seed) and a fixed as-of date; written an
/// inspection at a time, so memory stays flat whatever the scale. The product's rules hold in the data (who applies,
/// accepts and approves are three different accounts; one open look-back per measure; an accepted report before 销号).
/// </summary>
public sealed partial class BenchGenerator
{
    /// <summary>The day the data describes: "now" for every generated date.</summary>
    public static readonly DateOnly AsOf = new(2026, 11, 30);

    private const int FlushRows = 50_000;

    private static readonly DateTime AsOfUtc = AsOf.ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc);
    private static readonly DateOnly FirstFeedback = new(2022, 3, 1);
    private static readonly DateOnly LastFeedback = new(2026, 10, 31);

    private static readonly string[] ReturnReasons =
    [
        "佐证材料不完整，请补充会议记录和相关文件。", "进展表述笼统，请写明已完成的具体事项和时间。", "完成比例与佐证不符，请核实后重新报送。",
        "未对照整改措施逐项说明，请补充。", "附件与本措施无关，请重新上传。",
    ];

    private readonly BenchDatabase database;
    private readonly BenchShape shape;
    private readonly Random random;
    private readonly BenchVocabulary words;
    private readonly TextWriter progress;

    private readonly BenchTable organizations, users, people, inspections, scopes, planTransitions, categories, findings, measures, supporting, revisions, transitions, reports, evidenceFiles, reportEvidence, lookBacks, extensions, notices, noticeMeasures;
    private readonly BenchTable institutions, outcomes, leads, registerFindings, publications, opinions;
    private readonly BenchTable[] order;

    private readonly List<Org> orgs = [];
    private readonly List<Account> officeAccounts = [];
    private readonly Dictionary<int, Account> reporters = [];
    private readonly Dictionary<int, List<(int Id, string Name, Account? Account)>> leaders = [];
    private readonly Dictionary<(int Issuer, int Year), int> dubanSequence = [];
    private readonly List<PlannedNotice> plannedNotices = [];
    private int inspectionId, categoryId, findingId, measureId, reportId, evidenceId, lookBackId, extensionId, noticeId, publicationId, personId;
    private int institutionId, outcomeId, leadId, registerFindingId, opinionId;
    private long transitionId, revisionId, planTransitionId, scopeId;
    private readonly List<(int, int)> bigInspections = [];

    public BenchGenerator(BenchDatabase database, BenchScale scale, int seed, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
        this.progress = progress;
        shape = BenchShape.Of(scale);
        random = new Random(seed);
        words = new BenchVocabulary(DemoSeeder.ReadSeedNotice(), random);

        organizations = database.Table<Organization>("Id", "Name", "ShortName", "Kind", "ParentId", "Path", "IsAssumption");
        users = database.Table<RectifyUser>("Id", "DisplayName", "OrganizationId", "CreatedAtUtc", "MustChangePassword", "UserName", "NormalizedUserName", "EmailConfirmed", "SecurityStamp", "ConcurrencyStamp", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount");
        people = database.Table<Person>("Id", "Name", "Position", "OrganizationId", "IsAssumption", "UserId");
        inspections = database.Table<Inspection>("Id", "Title", "Kind", "InspectingBodyId", "InspectedOrganizationId", "OnSiteFrom", "OnSiteTo", "FeedbackDate", "ReportingCadence", "PlanAdoptedAtUtc", "PlanAdoptedByName", "PlanMeetingDate", "PlanMeetingName", "PlanState", "PlanSubmittedByUserId", "Round");
        scopes = database.Table<InspectionScope>("Id", "InspectionId", "OrganizationId", "Kind");
        planTransitions = database.Table<PlanTransition>("Id", "InspectionId", "Action", "FromState", "ToState", "ActorUserId", "ActorName", "AtUtc", "Reason");
        categories = database.Table<FindingCategory>("Id", "InspectionId", "Number", "Title");
        findings = database.Table<Finding>("Id", "InspectionId", "CategoryId", "Number", "Title", "ProblemStatement");
        measures = database.Table<Measure>("Id", "InspectionId", "FindingId", "Number", "Text", "Kind", "Deadline", "ResponsibleLeaderId", "LeadUnitId", "State", "SignOffApplicantId", "AssumedFields", "Version", "LastReportAtUtc", "OngoingSinceUtc", "EvidenceAcceptedAtUtc", "EvidenceAcceptedById", "SignOffAcceptedById", "ExtensionCount", "OriginalDeadline", "ReportsAwaitingReview");
        supporting = database.Table<MeasureSupportingUnit>("MeasureId", "OrganizationId");
        revisions = database.Table<MeasureRevision>("Id", "MeasureId", "Number", "Kind", "ActorUserId", "ActorName", "AtUtc", "Reason", "Text", "MeasureKind", "Deadline", "LeadUnitId", "LeadUnitName", "ResponsibleLeaderId", "ResponsibleLeaderName", "SupportingUnits");
        transitions = database.Table<MeasureTransition>("Id", "MeasureId", "Action", "FromState", "ToState", "ActorUserId", "ActorName", "AtUtc", "Reason");
        reports = database.Table<ProgressReport>("Id", "MeasureId", "Number", "RevisionOfId", "Narrative", "PercentComplete", "EffectiveDate", "State", "SubmittedByUserId", "SubmittedByName", "SubmittedAtUtc", "ReviewedByName", "ReviewedAtUtc", "ReturnReason", "OnBehalfBasis");
        evidenceFiles = database.Table<EvidenceFile>("Id", "Sha256", "Length", "Type", "StoredAtUtc");
        reportEvidence = database.Table<ProgressReportEvidence>("ProgressReportId", "EvidenceFileId", "OriginalName", "UploadedByUserId");
        lookBacks = database.Table<LookBack>("Id", "MeasureId", "DueDate", "ScheduledByName", "ScheduledAtUtc", "Result", "Finding", "ReviewedByName", "ReviewedAtUtc");
        extensions = database.Table<DeadlineExtension>("Id", "MeasureId", "Number", "CurrentDeadline", "RequestedDeadline", "Reason", "RequestedByUserId", "RequestedByName", "RequestedAtUtc", "State", "ReviewedByUserId", "ReviewedByName", "ReviewedAtUtc", "ReviewNote", "DecidedByUserId", "DecidedByName", "DecidedAtUtc", "DecisionNote");
        notices = database.Table<SupervisionNotice>("Id", "InspectionId", "Kind", "UnitId", "DocumentNumber", "Year", "Sequence", "IssuerId", "Title", "Content", "Requirement", "ReplyDue", "State", "CreatedByUserId", "CreatedByName", "CreatedAtUtc", "Reply", "RepliedByName", "RepliedAtUtc", "CloseNote", "ClosedByName", "ClosedAtUtc");
        noticeMeasures = database.Table<SupervisionNoticeMeasure>("NoticeId", "MeasureId");
        institutions = database.Table<Institution>("Id", "InspectionId", "Name", "Issuer", "DocumentNumber", "IssuedOn", "Version", "Withdrawn", "RecordedByName", "RecordedAtUtc");
        outcomes = database.Table<RectificationOutcome>("Id", "InspectionId", "Kind", "Amount", "Note", "Version", "Withdrawn", "RecordedByName", "RecordedAtUtc");
        leads = database.Table<Lead>("Id", "InspectionId", "Summary", "Status", "Disposition", "Version", "Withdrawn", "RecordedByName", "RecordedAtUtc");
        registerFindings = database.Table<RegisterFinding>("Id", "FindingId", "InstitutionId", "OutcomeId", "LeadId");
        publications = database.Table<Publication>("Id", "InspectionId", "Number", "PublicKey", "State", "Content", "Snapshot", "DisclosureFrom", "DisclosureTo", "CorrectionNote", "CreatedByName", "CreatedAtUtc",
            "SubmittedByUserId", "SubmittedAtUtc", "ReturnReason", "ApprovedByName", "ApprovedAtUtc", "SupersededAtUtc", "Version");
        opinions = database.Table<PublicOpinion>("Id", "InspectionId", "PublicationId", "ReceiptCode", "Text", "Contact", "AboutFindingNumber", "ReceivedAtUtc", "State", "AssignedFindingId", "AssignedUnitId",
            "Reply", "RepliedAtUtc", "RepliedByName", "ReplyIsPublishable", "ReplyApprovedByName", "ClosedAtUtc", "Version",
            "AssignedAtUtc", "UnitResponse", "UnitRespondedByName", "UnitRespondedAtUtc", "PublicSummary");
        order = [organizations, users, people, inspections, scopes, planTransitions, categories, findings, measures, supporting, revisions, transitions, reports, evidenceFiles, reportEvidence, lookBacks, extensions, notices, noticeMeasures,
            institutions, outcomes, leads, registerFindings, publications, opinions];
    }

    public async Task<BenchResult> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Organizations();
        await database.FlushAsync(order, cancellationToken);

        var targets = orgs.Where(o => o.Kind is OrganizationKind.PartyCommittee or OrganizationKind.Community && o.ParentId is not null && o.Depth >= 1).ToList();
        var districts = orgs.Where(o => o.IsDistrict).ToList();
        var teams = orgs.Where(o => o.Kind == OrganizationKind.InspectionTeam).ToList();
        var bigAt = shape.BigInspections.Select((size, j) => (Index: (j + 1) * shape.Inspections / (shape.BigInspections.Count + 1), Size: size)).ToDictionary(b => b.Index, b => b.Size);
        for (var i = 0; i < shape.Inspections; i++)
        {
            var big = bigAt.TryGetValue(i, out var size);
            var target = big ? districts[i % districts.Count] : targets[(i * 7919) % targets.Count];
            var count = big ? size : random.Next(shape.MinMeasures, shape.MaxMeasures + 1);
            var feedback = FirstFeedback.AddDays((int)((long)(LastFeedback.DayNumber - FirstFeedback.DayNumber) * i / Math.Max(1, shape.Inspections - 1)));
            await InspectionWithMeasuresAsync(target, teams[i % teams.Count], feedback, count, cancellationToken);
            if (big)
            {
                bigInspections.Add((inspectionId, count));
            }

            if ((i + 1) % 50 == 0)
            {
                progress.WriteLine($"  {i + 1:N0} / {shape.Inspections:N0} 个巡察，{measures.Written:N0} 条措施，{clock.Elapsed.TotalSeconds:N0} 秒");
            }
        }

        // The notices last: a version's snapshot is composed from the ledger as written (PublicationComposer, as 送审 does).
        await database.FlushAsync(order, cancellationToken);
        await NoticesAsync(cancellationToken);
        await database.FlushAsync(order, cancellationToken);
        await database.FinishAsync(order, cancellationToken);
        var bytes = await database.SizeAsync(cancellationToken);
        return new BenchResult([.. order.Select(t => (t.Name, t.Written))], clock.Elapsed, bytes, bigInspections);
    }

    private sealed record Org(int Id, int? ParentId, string Name, string? ShortName, OrganizationKind Kind, string Path, int Depth, bool IsDistrict)
    {
        public List<Org> Children { get; } = [];
    }

    private sealed record Account(string Id, string Name);

    private Org AddOrg(Org? parent, string name, string? shortName, OrganizationKind kind, bool district = false)
    {
        var id = orgs.Count + 1;
        var org = new Org(id, parent?.Id, name, shortName, kind, (parent?.Path ?? "/") + id.ToString(CultureInfo.InvariantCulture) + "/", (parent?.Depth ?? -1) + 1, district);
        orgs.Add(org);
        parent?.Children.Add(org);
        organizations.Add(id, name, shortName, (int)kind, parent?.Id, org.Path, false);
        return org;
    }

    private Account AddAccount(Org org, string userName)
    {
        var account = new Account(NewGuid().ToString(), words.PersonName());
        users.Add(account.Id, account.Name, org.Id, FirstFeedback.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), false, userName, userName.ToUpperInvariant(), false,
            NewGuid().ToString("N").ToUpperInvariant(), NewGuid().ToString(), false, false, true, 0);
        return account;
    }

    /// <summary>The tree: the committee, its inspection office and teams, its departments, districts (each with departments and towns), towns' offices and communities.</summary>
    private void Organizations()
    {
        var city = words.Place();
        var root = AddOrg(null, $"中共{city}市委员会", $"{city}市委", OrganizationKind.PartyCommittee);
        var office = AddOrg(root, $"中共{city}市委巡察工作领导小组办公室", "市委巡察办", OrganizationKind.InspectionOffice);
        for (var t = 1; t <= shape.Teams; t++)
        {
            AddOrg(office, $"{city}市委第{Chinese(t)}巡察组", null, OrganizationKind.InspectionTeam);
        }

        string[] cityDepartments = ["市发展和改革局", "市教育局", "市科学技术局", "市工业和信息化局", "市民政局", "市司法局", "市财政局", "市人力资源和社会保障局", "市自然资源局", "市生态环境局", "市住房和城乡建设局", "市交通运输局", "市水务局", "市农业农村局", "市商务局", "市文化广电旅游体育局", "市卫生健康局", "市退役军人事务局", "市应急管理局", "市审计局", "市市场监督管理局", "市统计局", "市医疗保障局", "市城市管理和综合执法局", "市林业局", "市信访局", "市国有资产监督管理委员会", "市供销合作社"];
        for (var d = 0; d < shape.CityDepartments; d++)
        {
            var name = cityDepartments[d % cityDepartments.Length] + (d < cityDepartments.Length ? string.Empty : $"（第{d / cityDepartments.Length + 1}片区）");
            AddOrg(root, "中共" + name + "党组", name, OrganizationKind.PartyCommittee);
        }

        string[] districtDepartments = ["区委办公室", "区纪委监委", "区财政局", "区住房和城乡建设局", "区农业农村局", "区卫生健康局"];
        string[] townOffices = ["党政综合办公室", "纪检监察办", "经济发展办公室", "社会事务办公室", "综合行政执法办公室"];
        var towns = new List<Org>();
        for (var d = 0; d < shape.Districts; d++)
        {
            var place = words.Place();
            var district = AddOrg(root, $"中共{place}区委员会", $"{place}区委", OrganizationKind.PartyCommittee, district: true);
            for (var k = 0; k < shape.DepartmentsPerDistrict; k++)
            {
                AddOrg(district, place + districtDepartments[k % districtDepartments.Length], null, OrganizationKind.Department);
            }

            for (var t = 0; t < shape.TownsPerDistrict; t++)
            {
                var townPlace = words.Place();
                var street = t % 2 == 0;
                towns.Add(AddOrg(district, street ? $"中共{townPlace}街道工作委员会" : $"中共{townPlace}镇委员会", street ? $"{townPlace}街道党工委" : $"{townPlace}镇党委", OrganizationKind.PartyCommittee));
            }
        }

        // Each town: two offices, then communities; the rest of the organizations asked for are more communities, town by town.
        var n = 0;
        foreach (var town in towns)
        {
            for (var u = 0; u < shape.UnitsPerTown && orgs.Count < shape.Organizations; u++)
            {
                AddUnit(town, u, townOffices);
            }
        }

        while (orgs.Count < shape.Organizations && towns.Count > 0)
        {
            var town = towns[n++ % towns.Count];
            AddUnit(town, town.Children.Count, townOffices);
        }

        // Accounts: three in the office at the root (整改办's staff), a reporter in every unit, a leader in every committee.
        for (var k = 1; k <= 3; k++)
        {
            officeAccounts.Add(AddAccount(root, $"bench.office{k}"));
        }

        foreach (var org in orgs.Where(o => o.Kind is OrganizationKind.Department or OrganizationKind.Community or OrganizationKind.PartyCommittee))
        {
            reporters[org.Id] = AddAccount(org, $"bench.unit{org.Id}");
        }

        foreach (var org in orgs.Where(o => o.Kind is OrganizationKind.PartyCommittee or OrganizationKind.Community))
        {
            var leader = AddAccount(org, $"bench.leader{org.Id}");
            var list = new List<(int, string, Account?)>();
            foreach (var (position, account) in new[] { ("书记", leader), ("副书记", null), ("纪检委员", null) })
            {
                var id = ++personId;
                var name = account?.Name ?? words.PersonName();
                people.Add(id, name, position, org.Id, false, account?.Id);
                list.Add((id, name, account));
            }

            leaders[org.Id] = list;
        }
    }

    private void AddUnit(Org town, int index, string[] townOffices)
    {
        var place = town.ShortName!.Replace("街道党工委", string.Empty, StringComparison.Ordinal).Replace("镇党委", string.Empty, StringComparison.Ordinal);
        if (index < 2)
        {
            AddOrg(town, place + townOffices[index], null, OrganizationKind.Department);
        }
        else
        {
            var community = words.Place();
            AddOrg(town, $"中共{place}{community}社区委员会", $"{community}社区党委", OrganizationKind.Community);
        }
    }

    /// <summary>Writes what is waiting once it is many rows: every row's parents were added before it, and tables flush parents first.</summary>
    private async Task FlushWhenFullAsync(CancellationToken cancellationToken)
    {
        if (order.Sum(t => t.Waiting.Count) >= FlushRows)
        {
            await database.FlushAsync(order, cancellationToken);
        }
    }

    private async Task InspectionWithMeasuresAsync(Org target, Org team, DateOnly feedback, int measureCount, CancellationToken cancellationToken)
    {
        var id = ++inspectionId;
        var age = AsOf.DayNumber - feedback.DayNumber;
        var planState = age < 45 ? PlanState.Drafting : age < 75 ? PlanState.Submitted : PlanState.InForce;
        var onSiteTo = feedback.AddDays(-random.Next(60, 100));
        var onSiteFrom = onSiteTo.AddDays(-random.Next(40, 60));
        var office = officeAccounts[id % officeAccounts.Count];
        var leader = leaders[target.Id][0];
        var adoptedOn = feedback.AddDays(random.Next(20, 40));
        var adoptedAt = At(adoptedOn);
        var round = $"{onSiteFrom.Year}年第{Chinese(1 + (id % 4))}轮";
        inspections.Add(id, $"{team.Name}对{target.Name}的巡察", (int)InspectionKind.Xuncha, team.Id, target.Id, onSiteFrom, onSiteTo, feedback, (int)ReportingCadence.Monthly,
            planState == PlanState.InForce ? adoptedAt : null, planState == PlanState.InForce ? leader.Name : null,
            planState == PlanState.InForce ? adoptedOn : null, planState == PlanState.InForce ? $"{target.ShortName ?? target.Name}会议" : null,
            (int)planState, planState == PlanState.Drafting ? null : office.Id, round);
        foreach (var also in target.Children.Where(c => c.Kind == OrganizationKind.Community).Take(10))
        {
            scopes.Add(++scopeId, id, also.Id, (int)InspectionScopeKind.AlsoInspected);
        }

        if (planState != PlanState.Drafting)
        {
            planTransitions.Add(++planTransitionId, id, (int)PlanAction.Submit, (int)PlanState.Drafting, (int)PlanState.Submitted, office.Id, office.Name, At(adoptedOn.AddDays(-7)), null);
        }

        if (planState == PlanState.InForce)
        {
            planTransitions.Add(++planTransitionId, id, (int)PlanAction.Approve, (int)PlanState.Submitted, (int)PlanState.InForce, leader.Account!.Id, leader.Name, adoptedAt, null);
        }

        // Who leads and supports: the target's departments and communities (the whole subtree), or the target itself.
        var units = Descendants(target).Where(o => o.Kind is OrganizationKind.Department or OrganizationKind.Community).ToList();
        if (units.Count == 0)
        {
            units.Add(target);
        }

        var supporters = units.Concat(orgs.Where(o => o.ParentId == target.ParentId && o.Id != target.Id && o.Kind != OrganizationKind.InspectionOffice).Take(12)).Distinct().ToList();
        var categoryCount = measureCount >= 1000 ? random.Next(8, 13) : random.Next(3, 7);
        var categoryIds = new int[categoryCount];
        for (var c = 0; c < categoryCount; c++)
        {
            categoryIds[c] = ++categoryId;
            categories.Add(categoryIds[c], id, c + 1, words.CategoryTitle());
        }

        var overdue = new List<(int MeasureId, int UnitId)>();
        var firstFinding = findingId + 1;
        var made = 0;
        var findingNumber = 0;
        while (made < measureCount)
        {
            var fid = ++findingId;
            var inFinding = Math.Min(measureCount - made, random.Next(1, 8));
            findings.Add(fid, id, categoryIds[Math.Min(categoryCount - 1, made * categoryCount / measureCount)], ++findingNumber, words.ProblemTitle(), random.NextDouble() < 0.6 ? words.Compose(60, 200) : null);
            for (var m = 1; m <= inFinding; m++)
            {
                var lead = units[random.Next(units.Count)];
                var state = OneMeasure(id, fid, m, lead, supporters, target, planState, feedback, adoptedAt, office);
                if (state.Overdue)
                {
                    overdue.Add((measureId, lead.Id));
                }
            }

            made += inFinding;
            await FlushWhenFullAsync(cancellationToken);
        }

        if (planState == PlanState.InForce)
        {
            Duban(id, target, overdue, office);
            var findingCount = findingId - firstFinding + 1;
            var registered = Registers(id, target, office, adoptedOn, firstFinding, findingCount, measureCount);
            if (age > 120 && random.NextDouble() < 0.75)
            {
                // Written after the last inspection (NoticesAsync): a submitted version's snapshot is composed from the ledger in the database.
                var facts = new InspectionFacts(InspectionKind.Xuncha, team.Name, target.Name, target.ShortName, onSiteFrom, onSiteTo, feedback);
                plannedNotices.Add(new PlannedNotice(id, facts, target, office, leader, adoptedOn, firstFinding, findingCount, registered));
            }
        }
    }

    /// <summary>A deterministic public key in the product's alphabet (the product draws a cryptographic one; a benchmark wants the same data each run).</summary>
    private string PublicKey()
    {
        const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        return string.Create(16, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[r.Next(Alphabet.Length)];
            }
        });
    }

    private static IEnumerable<Org> Descendants(Org org) => org.Children.SelectMany(c => Descendants(c).Prepend(c));

    private readonly record struct MeasureOutcome(bool Overdue);

    private MeasureOutcome OneMeasure(int inspection, int finding, int number, Org lead, List<Org> supporters, Org target, PlanState planState, DateOnly feedback, DateTime adoptedAt, Account office)
    {
        var id = ++measureId;
        var roll = random.NextDouble();
        var kind = roll < 0.25 ? MeasureKind.Immediate : roll < 0.85 ? MeasureKind.TimeBound : MeasureKind.Ongoing;
        DateOnly? deadline = kind switch
        {
            MeasureKind.Immediate => feedback.AddDays(random.Next(20, 45)),
            MeasureKind.TimeBound => feedback.AddMonths(random.Next(3, 13)),
            _ => null,
        };
        var people = leaders[target.Id];
        var responsible = people[random.Next(people.Count)];
        var reporter = reporters[lead.Id];
        var text = words.Compose(40, 160);

        var supportCount = random.NextDouble() switch { < 0.35 => 0, < 0.75 => 1, < 0.92 => 2, _ => 3 };
        var support = new List<Org>();
        for (var s = 0; s < supportCount && supporters.Count > 1; s++)
        {
            var unit = supporters[random.Next(supporters.Count)];
            if (unit.Id != lead.Id && !support.Contains(unit))
            {
                support.Add(unit);
                supporting.Add(id, unit.Id);
            }
        }

        var state = MeasureState.Planned;
        DateTime? lastReport = null, ongoingSince = null, evidenceAccepted = null;
        var awaitingReview = 0;
        string? evidenceAcceptedBy = null, applicant = null, acceptedBy = null;
        var version = 0;
        var extensionCount = 0;
        DateOnly? originalDeadline = null;
        var revisionNumber = 0;
        if (planState == PlanState.InForce)
        {
            revisions.Add(++revisionId, id, ++revisionNumber, (int)MeasureRevisionKind.Approved, office.Id, office.Name, adoptedAt, null, text, (int)kind, deadline, lead.Id, lead.Name, responsible.Id, responsible.Name,
                string.Join("、", support.Select(s => s.Name).Order(StringComparer.Ordinal)));
            var window = (AsOfUtc - adoptedAt).TotalDays;
            var signedOffShare = Math.Clamp(window / 520, 0, 0.85);
            if (random.NextDouble() >= 0.04)
            {
                var start = adoptedAt.AddDays(random.Next(1, 20)).AddMinutes(random.Next(0, 480));
                Move(id, MeasureAction.Start, MeasureState.Planned, kind == MeasureKind.Ongoing ? MeasureState.Ongoing : MeasureState.InProgress, reporter, start, null);
                state = kind == MeasureKind.Ongoing ? MeasureState.Ongoing : MeasureState.InProgress;
                ongoingSince = kind == MeasureKind.Ongoing ? start : null;

                var final = state;
                if (kind != MeasureKind.Ongoing)
                {
                    var u = random.NextDouble();
                    final = u < signedOffShare ? MeasureState.SignedOff : u < signedOffShare + 0.05 ? MeasureState.AwaitingReview : u < signedOffShare + 0.08 ? MeasureState.AwaitingApproval : MeasureState.InProgress;
                }

                // When the unit applied for 销号 (reports stop there), for the measures that got that far.
                var applyAt = final switch
                {
                    MeasureState.SignedOff => start.AddDays((AsOfUtc - start).TotalDays * (0.35 + (random.NextDouble() * 0.5))),
                    MeasureState.AwaitingReview or MeasureState.AwaitingApproval => AsOfUtc.AddDays(-random.Next(3, 25)),
                    _ => AsOfUtc,
                };
                if (applyAt <= start)
                {
                    applyAt = start.AddDays(1);
                }

                (var last, var accepted, var acceptedById, awaitingReview) = Reports(id, reporter, office, start, applyAt, final);
                lastReport = last;
                evidenceAccepted = accepted;
                evidenceAcceptedBy = acceptedById;
                if (final != MeasureState.InProgress && final != MeasureState.Ongoing && evidenceAccepted is not null)
                {
                    var leaderAccount = responsible.Account ?? people[0].Account!;
                    if (random.NextDouble() < 0.06)
                    {
                        // An earlier application returned by the office, with its reason.
                        var firstApply = applyAt.AddDays(-random.Next(10, 30));
                        if (firstApply > start)
                        {
                            Move(id, MeasureAction.ApplyForSignOff, MeasureState.InProgress, MeasureState.AwaitingReview, reporter, firstApply, null);
                            Move(id, MeasureAction.ReturnApplication, MeasureState.AwaitingReview, MeasureState.InProgress, office, firstApply.AddDays(2), ReturnReasons[random.Next(ReturnReasons.Length)]);
                        }
                    }

                    var reviewer = officeAccounts.First(a => a.Id != evidenceAcceptedBy);

                    // One application in 29 (by the measure's id, so the rest of the output is unchanged) the office made for
                    // the unit (代为申请销号), with its basis; someone other than the applicant reviews it.
                    var onBehalf = id % 29 == 0 && officeAccounts.Any(a => a.Id != reviewer.Id);
                    var applier = onBehalf ? officeAccounts.First(a => a.Id != reviewer.Id) : reporter;
                    var note = random.NextDouble() < 0.5 ? "整改任务已完成，申请销号。" : null;
                    Move(id, MeasureAction.ApplyForSignOff, MeasureState.InProgress, MeasureState.AwaitingReview, applier, applyAt,
                        onBehalf ? Measure.OnBehalfApplicationPrefix + $"据牵头单位{DateOnly.FromDateTime(applyAt):M月d日}报送的销号申请表" : note);
                    state = MeasureState.AwaitingReview;
                    applicant = applier.Id;
                    if (final is MeasureState.AwaitingApproval or MeasureState.SignedOff)
                    {
                        var acceptAt = Min(applyAt.AddDays(random.Next(1, 5)), AsOfUtc);
                        Move(id, MeasureAction.AcceptApplication, MeasureState.AwaitingReview, MeasureState.AwaitingApproval, reviewer, acceptAt, null);
                        state = MeasureState.AwaitingApproval;
                        acceptedBy = reviewer.Id;
                        if (final == MeasureState.SignedOff)
                        {
                            var approveAt = Min(acceptAt.AddDays(random.Next(1, 7)), AsOfUtc);
                            Move(id, MeasureAction.Approve, MeasureState.AwaitingApproval, MeasureState.SignedOff, leaderAccount, approveAt, null);
                            state = MeasureState.SignedOff;
                            applicant = null;
                            acceptedBy = null;
                            if (LookBack(id, approveAt, office))
                            {
                                // 反弹: reopened, and the evidence that stood for the sign-off no longer counts.
                                state = MeasureState.InProgress;
                                evidenceAccepted = null;
                                evidenceAcceptedBy = null;
                            }
                        }
                    }
                }

                if (state == MeasureState.InProgress && kind == MeasureKind.TimeBound && deadline is { } due && random.NextDouble() < 0.2)
                {
                    var moved = Extension(id, due, reporter, office, responsible, start);
                    if (moved is { } newDeadline)
                    {
                        originalDeadline = due;
                        deadline = newDeadline;
                        extensionCount = 1;
                        version = 1;
                        revisions.Add(++revisionId, id, ++revisionNumber, (int)MeasureRevisionKind.Amended, office.Id, office.Name, Min(At(due.AddDays(-5)), AsOfUtc), "批准延期", text, (int)kind, deadline, lead.Id, lead.Name,
                            responsible.Id, responsible.Name, string.Join("、", support.Select(s => s.Name).Order(StringComparer.Ordinal)));
                    }
                }
            }
        }

        measures.Add(id, inspection, finding, number, text, (int)kind, deadline, responsible.Id, lead.Id, (int)state, applicant, (int)AssumedFields.None, version, lastReport, ongoingSince,
            evidenceAccepted, evidenceAcceptedBy, acceptedBy, extensionCount, originalDeadline, awaitingReview);
        return new MeasureOutcome(state == MeasureState.InProgress && deadline is { } d && d < AsOf);
    }

    private void Move(int measure, MeasureAction action, MeasureState from, MeasureState to, Account actor, DateTime at, string? reason) =>
        transitions.Add(++transitionId, measure, (int)action, (int)from, (int)to, actor.Id, actor.Name, at, reason);

    /// <summary>
    /// The unit's reports between the start and <paramref name="until"/>: about ten, some returned and filed again as a
    /// revision, the office accepting the others (the last one waits for review on a measure still in progress, now and then).
    /// </summary>
    private (DateTime? Last, DateTime? Accepted, string? AcceptedBy, int AwaitingReview) Reports(int measure, Account reporter, Account office, DateTime start, DateTime until, MeasureState final)
    {
        var count = 6 + random.Next(0, 11);
        var span = (until - start).TotalDays;
        DateTime? last = null, accepted = null;
        string? acceptedBy = null;
        int? returnedId = null;
        var awaiting = 0;
        var ceiling = final is MeasureState.InProgress or MeasureState.Ongoing ? random.Next(40, 96) : 100;
        for (var k = 1; k <= count; k++)
        {
            var rid = ++reportId;
            var at = start.AddDays(span * k / (count + 1)).AddMinutes(random.Next(0, 300));
            var isLast = k == count;
            var reportState = isLast
                ? (final is MeasureState.InProgress or MeasureState.Ongoing && random.NextDouble() < 0.35 ? ProgressReportState.Submitted : ProgressReportState.Accepted)
                : random.NextDouble() < 0.1 ? ProgressReportState.Returned : ProgressReportState.Accepted;
            var reviewedAt = reportState == ProgressReportState.Submitted ? (DateTime?)null : Min(at.AddHours(random.Next(4, 72)), AsOfUtc);
            var reviewer = officeAccounts[(rid + 1) % officeAccounts.Count];
            var percent = Math.Min(ceiling, ceiling * k / count);

            // One report in 23 the office filed for the unit (代报) from its written report, by someone other than its reviewer
            // (from the report's number, not a new draw, so the rest of the output stays as it was).
            var onBehalf = rid % 23 == 0;
            var filer = onBehalf ? officeAccounts[rid % officeAccounts.Count] : reporter;
            reports.Add(rid, measure, k, returnedId, $"截至{DateOnly.FromDateTime(at):yyyy年M月d日}，{words.Compose(40, 160)}", percent, DateOnly.FromDateTime(at),
                (int)reportState, filer.Id, filer.Name, at, reviewedAt is null ? null : reviewer.Name, reviewedAt,
                reportState == ProgressReportState.Returned ? ReturnReasons[random.Next(ReturnReasons.Length)] : null,
                onBehalf ? $"据牵头单位{DateOnly.FromDateTime(at):M月d日}报送的书面材料" : null);
            returnedId = reportState == ProgressReportState.Returned ? rid : null;
            awaiting += reportState == ProgressReportState.Submitted ? 1 : 0;
            if (reportState != ProgressReportState.Returned)
            {
                last = at;
            }

            if (reportState == ProgressReportState.Accepted)
            {
                accepted = reviewedAt;
                acceptedBy = reviewer.Id;
            }

            if (random.NextDouble() < 0.25)
            {
                var file = ++evidenceId;
                var type = random.Next(0, 6);
                evidenceFiles.Add(file, Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes((long)file))), random.Next(20_000, 3_000_000), type, at);
                reportEvidence.Add(rid, file, $"{words.Clause()}{Extension((EvidenceType)type)}", reporter.Id);
            }
        }

        return (last, accepted, acceptedBy, awaiting);
    }

    private static string Extension(EvidenceType type) => type switch
    {
        EvidenceType.Pdf => ".pdf",
        EvidenceType.Ofd => ".ofd",
        EvidenceType.Docx => ".docx",
        EvidenceType.Xlsx => ".xlsx",
        EvidenceType.Jpeg => ".jpg",
        _ => ".png",
    };

    /// <summary>回头看 on some signed-off measures: due six months on; most done (巩固, some 反弹, which reopens the measure), the rest open. True when it rebounded.</summary>
    private bool LookBack(int measure, DateTime signedOffAt, Account office)
    {
        if (random.NextDouble() >= 0.09)
        {
            return false;
        }

        var id = ++lookBackId;
        var scheduled = Min(signedOffAt.AddDays(random.Next(1, 10)), AsOfUtc);
        var due = DateOnly.FromDateTime(signedOffAt).AddMonths(6);
        if (due >= AsOf || random.NextDouble() < 0.1)
        {
            lookBacks.Add(id, measure, due, office.Name, scheduled, null, null, null, null);
            return false;
        }

        var reviewed = Min(At(due.AddDays(random.Next(0, 10))), AsOfUtc);
        var rebound = random.NextDouble() < 0.15;
        lookBacks.Add(id, measure, due, office.Name, scheduled, (int)(rebound ? LookBackResult.Rebound : LookBackResult.Consolidated), words.Compose(30, 120), office.Name, reviewed);
        if (rebound)
        {
            Move(measure, MeasureAction.Reopen, MeasureState.SignedOff, MeasureState.InProgress, office, reviewed, "回头看发现问题反弹：" + words.Clause() + "。");
        }

        return rebound;
    }

    /// <summary>申请延期 on a time-bound measure: the new deadline when it was approved, else null (asked, forwarded, returned or refused).</summary>
    private DateOnly? Extension(int measure, DateOnly deadline, Account reporter, Account office, (int Id, string Name, Account? Account) responsible, DateTime start)
    {
        var requestedAt = Max(At(deadline.AddDays(-random.Next(10, 30))), start.AddDays(1));
        if (requestedAt >= AsOfUtc)
        {
            return null;
        }

        var requested = deadline.AddMonths(random.Next(2, 5));
        var roll = random.NextDouble();
        var state = roll < 0.55 ? ExtensionState.Approved : roll < 0.7 ? ExtensionState.Requested : roll < 0.8 ? ExtensionState.Forwarded : roll < 0.9 ? ExtensionState.Returned : ExtensionState.Refused;
        var reviewedAt = Min(requestedAt.AddDays(2), AsOfUtc);
        var decidedAt = Min(requestedAt.AddDays(5), AsOfUtc);
        var reviewed = state != ExtensionState.Requested;
        var decided = state is ExtensionState.Approved or ExtensionState.Refused;
        var decider = responsible.Account ?? office;
        extensions.Add(++extensionId, measure, 1, deadline, requested, "因" + words.Clause() + "，" + words.Compose(20, 80), reporter.Id, reporter.Name, requestedAt, (int)state,
            reviewed ? office.Id : null, reviewed ? office.Name : null, reviewed ? reviewedAt : null, state == ExtensionState.Returned ? "延期理由不充分，请补充说明。" : null,
            decided ? decider.Id : null, decided ? decider.Name : null, decided ? decidedAt : null, state == ExtensionState.Refused ? "请按原时限完成整改。" : null);
        return state == ExtensionState.Approved ? requested : null;
    }

    /// <summary>督办 on overdue measures: half of the inspections with any get one or two 督办单, each on one unit's overdue measures.</summary>
    private void Duban(int inspection, Org target, List<(int MeasureId, int UnitId)> overdue, Account office)
    {
        if (overdue.Count == 0 || random.NextDouble() >= 0.5)
        {
            return;
        }

        foreach (var group in overdue.GroupBy(o => o.UnitId).Take(random.Next(1, 3)))
        {
            var unit = orgs[group.Key - 1];
            var created = AsOfUtc.AddDays(-random.Next(5, 90));
            var year = created.Year;
            var sequence = dubanSequence[(target.Id, year)] = dubanSequence.GetValueOrDefault((target.Id, year)) + 1;
            var roll = random.NextDouble();
            var state = roll < 0.5 ? SupervisionState.Open : roll < 0.75 ? SupervisionState.Replied : SupervisionState.Closed;
            var replied = state != SupervisionState.Open ? Min(created.AddDays(random.Next(3, 10)), AsOfUtc) : (DateTime?)null;
            var closed = state == SupervisionState.Closed ? Min(replied!.Value.AddDays(random.Next(1, 5)), AsOfUtc) : (DateTime?)null;
            var reporter = reporters[unit.Id];
            var id = ++noticeId;
            notices.Add(id, inspection, (int)SupervisionKind.Duban, unit.Id, $"督办〔{year}〕{sequence}号", year, sequence, target.Id,
                $"关于督促{unit.ShortName ?? unit.Name}加快整改进度的督办单", words.Compose(60, 200), "请于限期内书面报告整改进展和下一步措施。", DateOnly.FromDateTime(created).AddDays(10),
                (int)state, office.Id, office.Name, created, replied is null ? null : words.Compose(40, 150), replied is null ? null : reporter.Name, replied,
                closed is null ? null : "已按要求整改，办结。", closed is null ? null : office.Name, closed);
            foreach (var (measure, _) in group.Take(5))
            {
                noticeMeasures.Add(id, measure);
            }
        }
    }

    private Guid NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        return new Guid(bytes);
    }

    /// <summary>A working-hours time (09:00–17:00 China time) on that day, in UTC.</summary>
    private DateTime At(DateOnly day) => day.ToDateTime(new TimeOnly(1 + random.Next(0, 8), random.Next(0, 60)), DateTimeKind.Utc);

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static string Chinese(int n)
    {
        string[] digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
        return n switch
        {
            <= 10 => digits[n],
            < 20 => "十" + digits[n - 10],
            < 100 => digits[n / 10] + "十" + (n % 10 == 0 ? string.Empty : digits[n % 10]),
            _ => n.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The run's figures as printed at the end of `bench seed`.</summary>
    public static string Describe(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        foreach (var (table, rows) in result.Rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {table,-28}{rows,12:N0}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  {"合计",-26}{result.Rows.Sum(r => r.Rows),12:N0}");
        text.Append(CultureInfo.InvariantCulture, $"用时 {result.Elapsed.TotalSeconds:N1} 秒，数据库 {result.Bytes / 1048576.0:N1} MiB。");
        if (result.BigInspections.Count > 0)
        {
            text.AppendLine().Append("大型巡察（编号：措施数）：").AppendJoin("，", result.BigInspections.Take(10).Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Inspection}：{b.Measures:N0}")));
        }

        return text.ToString();
    }
}

using System.Globalization;
using Rectify.Access;
using Rectify.Domain;
using Rectify.Features.Publications;

namespace Rectify.Tools;

/// <summary>
/// What a rectification leaves besides its measures: the three registers (建章立制, 整改成效, 问题线索) with the findings
/// each entry answers, and the public progress notice with the opinions the public sent on it. Every row is one the
/// product's own actions can leave (RegisterService, PublicationService, OpinionIntake, OpinionService): the same
/// fields set at each step, the same version numbers, the same people (the office keeps the registers and the notice,
/// the first responsible person approves the notice and the replies to publish, the discipline member keeps the leads).
/// </summary>
public sealed partial class BenchGenerator
{
    private static readonly string[] InstitutionForms = ["实施办法", "管理办法", "工作规则", "实施细则", "管理制度", "工作规程", "若干措施", "工作机制", "考核办法", "监督办法"];
    private static readonly string[] Penalties = ["给予党内警告处分", "给予党内严重警告处分", "给予政务警告处分", "给予政务记过处分", "诫勉谈话", "批评教育", "谈话提醒", "责令作出书面检查"];
    private static readonly string[] RejectedNotices = ["整改任务落实情况部分表述过于笼统，请逐项写明已完成的整改事项。", "请补充履行整改主体责任的具体做法。", "公开期限与工作安排不符，请调整后再送审。"];

    /// <summary>An inspection whose notice is written after the last inspection, once its ledger is in the database to compose from.</summary>
    private sealed record PlannedNotice(int Inspection, InspectionFacts Facts, Org Target, Account Office, (int Id, string Name, Account? Account) Leader, DateOnly AdoptedOn, int FirstFinding, int FindingCount, RegisterKinds Registered);

    /// <summary>Which registers an inspection has entries in: the figures an office would tick in its notice.</summary>
    [Flags]
    private enum RegisterKinds
    {
        None = 0,
        Rules = 1,
        Money = 2,
        People = 4,
    }

    /// <summary>
    /// The registers of an inspection whose plan is in force, filled as the months go by: rules issued by the
    /// organization or its units (about a third of the findings answered by one a year on), 整改成效 entries (meetings
    /// held nearly always; money recovered and people handled in about half), and 问题线索 handed over in under half of
    /// the inspections, most dealt with after half a year. Each entry answers a few findings of the inspection. The
    /// leads' texts are written as a value from before column encryption came (docs/adr/0030).
    /// </summary>
    private RegisterKinds Registers(int inspection, Org target, Account office, DateOnly adoptedOn, int firstFinding, int findingCount, int measureCount)
    {
        var window = AsOf.DayNumber - adoptedOn.DayNumber;
        if (window <= 0 || findingCount == 0)
        {
            return RegisterKinds.None;
        }

        var registered = RegisterKinds.None;

        var progress = Math.Clamp(window / 365.0, 0.15, 1);
        var units = Descendants(target).Where(o => o.Kind is OrganizationKind.Department or OrganizationKind.Community).ToList();
        DateOnly Later(int from) => adoptedOn.AddDays(Math.Min(window, random.Next(from, Math.Max(from + 1, window))));

        var rules = (int)Math.Round(findingCount * (0.15 + (random.NextDouble() * 0.35)) * progress);
        for (var k = 0; k < rules; k++)
        {
            var issuer = units.Count == 0 || random.NextDouble() < 0.5 ? target : units[random.Next(units.Count)];
            var issued = Later(5);
            var id = ++institutionId;
            institutions.Add(id, inspection, $"关于{words.Clause()}的{InstitutionForms[random.Next(InstitutionForms.Length)]}", issuer.Name,
                random.NextDouble() < 0.8 ? $"{issuer.ShortName ?? issuer.Name}〔{issued.Year}〕{random.Next(1, 80)}号" : null, issued, 1, false, office.Name,
                Min(At(issued.AddDays(random.Next(0, 15))), AsOfUtc));
            LinkFindings(firstFinding, findingCount, random.Next(1, 4), institution: id);
            registered |= RegisterKinds.Rules;
        }

        void Outcome(OutcomeKind kind, decimal amount)
        {
            var id = ++outcomeId;
            outcomes.Add(id, inspection, (int)kind, amount, random.NextDouble() < 0.6 ? words.Compose(15, 60) : null, 1, false, office.Name, Min(At(Later(10)), AsOfUtc));
            LinkFindings(firstFinding, findingCount, random.Next(0, 3), outcome: id);
        }

        if (random.NextDouble() < 0.9)
        {
            Outcome(OutcomeKind.MeetingsHeld, random.Next(1, 16));
        }

        for (var k = random.NextDouble() < 0.5 * progress ? random.Next(1, 4) : 0; k > 0; k--)
        {
            // 万元, to the cent: most a few 万, now and then a large sum.
            Outcome(OutcomeKind.MoneyRecovered, Math.Round((decimal)(0.5 + (random.NextDouble() * random.NextDouble() * 300)), 2));
            registered |= RegisterKinds.Money;
        }

        for (var k = random.NextDouble() < 0.45 * progress ? random.Next(1, 3) : 0; k > 0; k--)
        {
            Outcome(OutcomeKind.PeopleHandled, random.Next(1, 9));
            registered |= RegisterKinds.People;
        }

        if (random.NextDouble() < 0.45)
        {
            // Kept by the discipline member of the inspected committee (the product's 纪检监察 role), from about when the plan was adopted.
            var keeper = leaders[target.Id][2].Name;
            for (var k = 1 + random.Next(0, 3) + (measureCount / 2000); k > 0; k--)
            {
                var recorded = Min(At(adoptedOn.AddDays(random.Next(-20, Math.Min(window, 120)))), AsOfUtc);
                var dealt = Math.Clamp((AsOfUtc - recorded).TotalDays / 300, 0, 0.85);
                var roll = random.NextDouble();
                var status = roll < dealt ? LeadStatus.Closed : roll < dealt + ((1 - dealt) * 0.5) ? LeadStatus.UnderReview : LeadStatus.HandedOver;
                var disposition = status switch
                {
                    LeadStatus.Closed when random.NextDouble() < 0.25 => "经核查，反映问题不属实，予以了结。",
                    LeadStatus.Closed => string.Join("，", Enumerable.Range(0, random.Next(1, 3)).Select(_ => Penalties[random.Next(Penalties.Length)]).Distinct()
                        .Select(p => p + random.Next(1, 4).ToString(CultureInfo.InvariantCulture) + "人")) + "。",
                    LeadStatus.UnderReview when random.NextDouble() < 0.3 => "已成立核查组，正在核查。",
                    _ => null,
                };
                var id = ++leadId;
                leads.Add(id, inspection, $"反映{words.Clause()}等问题。{words.Compose(30, 150)}", (int)status, disposition, 1, false, keeper, recorded);
                LinkFindings(firstFinding, findingCount, random.NextDouble() < 0.8 ? 1 : random.Next(0, 3), lead: id);
            }
        }

        return registered;
    }

    /// <summary>Links an entry to <paramref name="links"/> different findings of the inspection, found from a drawn one on.</summary>
    private void LinkFindings(int firstFinding, int findingCount, int links, int? institution = null, int? outcome = null, int? lead = null)
    {
        var start = random.Next(findingCount);
        for (var k = 0; k < Math.Min(links, findingCount); k++)
        {
            registerFindings.Add(++registerFindingId, firstFinding + ((start + k) % findingCount), institution, outcome, lead);
        }
    }

    /// <summary>
    /// The notices of the inspections drawn for one, after every inspection is written: most approved and published
    /// (审定, a disclosure period of one to two weeks, opinions received in it, some corrected later by a second
    /// version), some waiting for approval, some still drafts (a few returned once). A submitted version's snapshot is
    /// composed by the product's own <see cref="PublicationComposer"/> from the ledger as written, as 送审 composes it, so a
    /// generated notice is read on the public page exactly as a real one.
    /// </summary>
    private async Task NoticesAsync(CancellationToken cancellationToken)
    {
        var root = orgs[0];
        var city = root.ShortName![..^2];
        foreach (var plan in plannedNotices)
        {
            // The office submits at the root, as the product's 送审 runs with the caller's scope.
            var scope = new AccessScope(plan.Office.Id, root.Id, root.Path, new HashSet<string>(StringComparer.Ordinal) { Roles.RectificationOffice });
            var key = PublicKey();
            var roll = random.NextDouble();
            if (roll < 0.12)
            {
                // 草稿: started (Publication.Start, version 0); half of them saved with their parts (Edit, 1), some of those submitted and returned (2, 3).
                var created = AsOfUtc.AddDays(-random.Next(1, 60));
                var draft = PublicationDraft.ForInspection(plan.Facts, DateOnly.FromDateTime(created));
                if (random.NextDouble() < 0.5)
                {
                    publications.Add(++publicationId, plan.Inspection, 1, key, (int)PublicationState.Draft, draft.ToJson(), null, null, null, null, plan.Office.Name, created,
                        null, null, null, null, null, null, 0);
                    continue;
                }

                draft = Filled(draft, plan, city, DateOnly.FromDateTime(created).AddDays(random.Next(5, 15)));
                var returned = random.NextDouble() < 0.4;
                var submitted = returned ? Min(created.AddDays(random.Next(1, 4)), AsOfUtc) : (DateTime?)null;
                publications.Add(++publicationId, plan.Inspection, 1, key, (int)PublicationState.Draft, draft.ToJson(), null, draft.DisclosureFrom, draft.DisclosureTo, null, plan.Office.Name, created,
                    returned ? plan.Office.Id : null, submitted, returned ? RejectedNotices[random.Next(RejectedNotices.Length)] : null, null, null, null, returned ? 3 : 1);
            }
            else if (roll < 0.2)
            {
                // 送审: saved (1) and submitted (2), waiting for the first responsible person.
                var created = AsOfUtc.AddDays(-random.Next(5, 40));
                var submitted = Min(created.AddDays(random.Next(1, 4)), AsOfUtc);
                var draft = Filled(PublicationDraft.ForInspection(plan.Facts, DateOnly.FromDateTime(created)), plan, city, DateOnly.FromDateTime(submitted).AddDays(random.Next(3, 10)));
                var snapshot = await database.ComposeNoticeAsync(scope, plan.Inspection, draft, DateOnly.FromDateTime(submitted), cancellationToken);
                publications.Add(++publicationId, plan.Inspection, 1, key, (int)PublicationState.Submitted, draft.ToJson(), snapshot.ToJson(), draft.DisclosureFrom, draft.DisclosureTo, null,
                    plan.Office.Name, created, plan.Office.Id, submitted, null, null, null, null, 2);
            }
            else
            {
                await PublishedAsync(plan, scope, key, city, cancellationToken);
            }

            await FlushWhenFullAsync(cancellationToken);
        }
    }

    /// <summary>审定 (version 3 of the row: saved, submitted, approved), published from its start date, with the opinions of its period; one in eight corrected after the period by a second version that supersedes it.</summary>
    private async Task PublishedAsync(PlannedNotice plan, AccessScope scope, string key, string city, CancellationToken cancellationToken)
    {
        var created = Min(At(plan.AdoptedOn.AddDays(random.Next(30, 150))), AsOfUtc.AddDays(-random.Next(12, 20)));
        var submitted = created.AddDays(random.Next(1, 6));
        var approved = submitted.AddDays(random.Next(1, 5));
        var draft = Filled(PublicationDraft.ForInspection(plan.Facts, DateOnly.FromDateTime(created)), plan, city, DateOnly.FromDateTime(approved).AddDays(random.Next(0, 3)));
        var (from, to) = (draft.DisclosureFrom!.Value, draft.DisclosureTo!.Value);
        var snapshot = await database.ComposeNoticeAsync(scope, plan.Inspection, draft, DateOnly.FromDateTime(submitted), cancellationToken);
        var first = ++publicationId;

        // 更正: a new version after the period, with a note the public reads; approving it supersedes the first.
        var correctionCreated = At(to.AddDays(random.Next(5, 60)));
        var corrected = random.NextDouble() < 0.125 && correctionCreated < AsOfUtc.AddDays(-8);
        var correctionSubmitted = correctionCreated.AddDays(random.Next(1, 4));
        var correctionApproved = correctionSubmitted.AddDays(random.Next(1, 4));
        publications.Add(first, plan.Inspection, 1, key, (int)(corrected ? PublicationState.Superseded : PublicationState.Approved), draft.ToJson(), snapshot.ToJson(), from, to, null,
            plan.Office.Name, created, plan.Office.Id, submitted, null, plan.Leader.Name, approved, corrected ? correctionApproved : null, corrected ? 4 : 3);
        if (corrected)
        {
            var note = $"原公布稿中“{words.Clause()}”的表述不够准确，现予更正。";
            var again = await database.ComposeNoticeAsync(scope, plan.Inspection, draft, DateOnly.FromDateTime(correctionSubmitted), cancellationToken);
            publications.Add(++publicationId, plan.Inspection, 2, key, (int)PublicationState.Approved, draft.ToJson(), again.ToJson(), from, to, note,
                plan.Office.Name, correctionCreated, plan.Office.Id, correctionSubmitted, null, plan.Leader.Name, correctionApproved, null, 3);
        }

        Opinions(plan, first, from, to);
    }

    /// <summary>The office's parts of a draft: the responsibility and next-step paragraphs, the figures ticked, the disclosure period from <paramref name="from"/> and the contacts.</summary>
    private PublicationDraft Filled(PublicationDraft draft, PlannedNotice plan, string city, DateOnly from)
    {
        IReadOnlyList<PublicParagraph> Paragraphs(int count) => [.. Enumerable.Range(0, count).Select(_ => new PublicParagraph(words.Clause(), words.Compose(80, 300)))];
        // The figures an office states: the completion most often, a register's total only when it has entries.
        var figures = random.NextDouble() < 0.7;
        bool Ticked(RegisterKinds kind) => plan.Registered.HasFlag(kind) && random.NextDouble() < 0.7;
        var postal = random.NextDouble() < 0.4;
        return draft with
        {
            Responsibility = Paragraphs(random.Next(2, 5)),
            Statistics = new StatisticsChoice(figures, figures, figures, Ticked(RegisterKinds.Rules), Ticked(RegisterKinds.Money), Ticked(RegisterKinds.People)),
            NextSteps = Paragraphs(random.Next(2, 4)),
            DisclosureFrom = from,
            DisclosureTo = from.AddDays(random.Next(6, 15)),
            Phone = string.Create(CultureInfo.InvariantCulture, $"0{random.Next(100, 1000)}-{random.Next(20_000_000, 90_000_000)}"),
            Email = random.NextDouble() < 0.6 ? string.Create(CultureInfo.InvariantCulture, $"xczg{plan.Target.Id}@example.com") : null,
            PostalAddress = postal ? string.Create(CultureInfo.InvariantCulture, $"{city}市{words.Place()}路{random.Next(1, 300)}号") : null,
            Postcode = postal ? random.Next(100_000, 1_000_000).ToString(CultureInfo.InvariantCulture) : null,
        };
    }

    /// <summary>
    /// 意见建议 on a published version, received within its disclosure period up to the as-of day (none for a period not
    /// begun): about three a notice, the older ones assigned, replied and closed, some replies published with the first
    /// responsible person's approval; the newer ones still waiting.
    /// </summary>
    private void Opinions(PlannedNotice plan, int publication, DateOnly from, DateOnly to)
    {
        var last = to < AsOf ? to : AsOf;
        if (from > last || random.NextDouble() < 0.3)
        {
            return;
        }

        var units = Descendants(plan.Target).Where(o => o.Kind is OrganizationKind.Department or OrganizationKind.Community).DefaultIfEmpty(plan.Target).ToList();
        for (var k = random.Next(1, 9); k > 0; k--)
        {
            var received = Min(At(from.AddDays(random.Next(0, last.DayNumber - from.DayNumber + 1))), AsOfUtc);
            var r = random.NextDouble();
            var state = (AsOfUtc - received).TotalDays > 30
                ? (r < 0.7 ? OpinionState.Closed : r < 0.9 ? OpinionState.Replied : OpinionState.Assigned)
                : (r < 0.4 ? OpinionState.Received : r < 0.7 ? OpinionState.Assigned : r < 0.9 ? OpinionState.Replied : OpinionState.Closed);
            int? about = random.NextDouble() < 0.6 ? random.Next(1, plan.FindingCount + 1) : null;
            var contactRoll = random.NextDouble();
            var contact = contactRoll < 0.5 ? string.Create(CultureInfo.InvariantCulture, $"1{random.Next(3, 10)}{random.Next(0, 1_000_000_000):D9}")
                : contactRoll < 0.65 ? string.Create(CultureInfo.InvariantCulture, $"gz{random.Next(1000, 100_000)}@example.com") : null;
            var text = $"{words.Clause()}，建议{words.Compose(20, 160)}";

            // 交办 to the finding it names (or another, or none) and to a unit when there is no finding (OpinionService.Assign needs one of them).
            int? finding = null, unit = null;
            var version = 0;
            if (state != OpinionState.Received)
            {
                finding = about is { } n ? plan.FirstFinding + n - 1 : random.NextDouble() < 0.5 ? plan.FirstFinding + random.Next(plan.FindingCount) : null;
                unit = finding is null || random.NextDouble() < 0.5 ? units[random.Next(units.Count)].Id : null;
                version++;
            }

            string? reply = null, approvedBy = null;
            DateTime? repliedAt = null, closedAt = null;
            var publishable = false;
            if (state is OpinionState.Replied or OpinionState.Closed)
            {
                reply = $"感谢您的关注。经核实，{words.Compose(30, 160)}";
                repliedAt = Min(received.AddDays(random.Next(2, 15)), AsOfUtc);
                publishable = random.NextDouble() < 0.4;
                approvedBy = publishable && random.NextDouble() < 0.7 ? plan.Leader.Name : null;
                version += approvedBy is null ? 1 : 2;
                if (state == OpinionState.Closed)
                {
                    closedAt = Min(repliedAt.Value.AddDays(random.Next(1, 10)), AsOfUtc);
                    version++;
                }
            }

            // 交办 a day after it came in; a unit answered (办理情况) before the office replied; a reply for the notice has the
            // office's 来信摘要. Derived from what was drawn above, so the generator's draws (and BenchSeedTests' figures) stay as they were.
            DateTime? assignedAt = unit is null ? null : Min(received.AddDays(1), AsOfUtc);
            var answered = unit is not null && repliedAt is not null;
            string? summary = publishable ? $"反映{(about is { } a ? $"第{a}项问题" : "整改进展")}的有关情况。" : null;
            opinions.Add(++opinionId, plan.Inspection, publication, ReceiptCode(), text, contact, about, received, (int)state, finding, unit,
                reply, repliedAt, reply is null ? null : plan.Office.Name, publishable, approvedBy, closedAt, version + (answered ? 1 : 0),
                assignedAt, answered ? "已核实，按要求整改，情况已报整改办。" : null, answered ? "联络员" : null, answered ? Min(repliedAt!.Value.AddDays(-1), AsOfUtc) : null, summary);
        }
    }

    /// <summary>A receipt code as <see cref="ReceiptCodes.New"/> makes one, drawn from the seeded generator (deterministic).</summary>
    private string ReceiptCode() => string.Create(ReceiptCodes.Length, random, (span, r) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = ReceiptCodes.Alphabet[r.Next(ReceiptCodes.Alphabet.Length)];
        }
    });
}

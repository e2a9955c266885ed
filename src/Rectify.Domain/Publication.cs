namespace Rectify.Domain;

/// <summary>Where one version of a progress notice stands. Published and closed are not states: they follow from an approved version's disclosure period and the day.</summary>
public enum PublicationState
{
    /// <summary>草稿: the office writes it.</summary>
    Draft = 0,

    /// <summary>送审: waiting for the first responsible person.</summary>
    Submitted = 1,

    /// <summary>审定: approved; published from its start date, never changed again.</summary>
    Approved = 2,

    /// <summary>已被更正: an approved version a later approved correction replaced; kept, no longer shown.</summary>
    Superseded = 3,
}

/// <summary>What an approved version is on a given day.</summary>
public enum PublicationStanding
{
    /// <summary>Approved, its start date not reached yet.</summary>
    Scheduled,

    /// <summary>公开中: within its disclosure period; opinions are taken.</summary>
    Open,

    /// <summary>公开期已结束: still readable, no more opinions.</summary>
    Closed,
}

/// <summary>
/// 整改进展情况公布: one version of an inspection's public progress notice. The office drafts it (<see cref="Content"/>,
/// the editable parts as the application serialises them), submits it (<see cref="Snapshot"/>: the notice as the
/// public will read it, composed then and frozen), and the first responsible person approves it. A version once
/// submitted is never edited; an approved one never changes. A correction is a new version with a note that the
/// public page shows; approving it supersedes the version before.
/// </summary>
public sealed class Publication
{
    private Publication()
    {
        PublicKey = string.Empty;
        Content = string.Empty;
    }

    private Publication(int inspectionId, int number, string publicKey, string content, DateOnly? from, DateOnly? to, string? correctionNote, Actor actor, DateTime atUtc)
    {
        InspectionId = inspectionId;
        Number = number;
        PublicKey = publicKey;
        Content = content;
        DisclosureFrom = from;
        DisclosureTo = to;
        CorrectionNote = correctionNote;
        State = PublicationState.Draft;
        CreatedByName = actor.DisplayName;
        CreatedAtUtc = atUtc;
    }

    public int Id { get; private set; }

    public int InspectionId { get; private set; }

    /// <summary>第 N 版, from 1.</summary>
    public int Number { get; private set; }

    /// <summary>The public page's address part, the same for every version of one inspection's notice; random, so drafts cannot be guessed.</summary>
    public string PublicKey { get; private set; }

    public PublicationState State { get; private set; }

    /// <summary>The editable parts (title, intro, paragraphs, period, contacts, issuer, date, ticked figures), as the application serialises them.</summary>
    public string Content { get; private set; }

    /// <summary>The public notice as submitted and approved: composed from the ledger at submission, then frozen.</summary>
    public string? Snapshot { get; private set; }

    public DateOnly? DisclosureFrom { get; private set; }

    public DateOnly? DisclosureTo { get; private set; }

    /// <summary>更正说明: why this version replaces the one before (required from version 2).</summary>
    public string? CorrectionNote { get; private set; }

    public string CreatedByName { get; private set; } = string.Empty;

    public DateTime CreatedAtUtc { get; private set; }

    public string? SubmittedByUserId { get; private set; }

    public DateTime? SubmittedAtUtc { get; private set; }

    public string? ReturnReason { get; private set; }

    public string? ApprovedByName { get; private set; }

    public DateTime? ApprovedAtUtc { get; private set; }

    public DateTime? SupersededAtUtc { get; private set; }

    /// <summary>Optimistic concurrency: every change bumps it.</summary>
    public int Version { get; private set; }

    /// <summary>The first version of an inspection's notice.</summary>
    public static Publication Start(int inspectionId, string publicKey, string content, DateOnly? from, DateOnly? to, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new ADisclosurePeriodDoesNotEndBeforeItStarts(from, to));
        return new Publication(inspectionId, 1, publicKey, content, from, to, null, actor, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>A correction (更正): a new draft after <paramref name="latest"/>, which must be approved, with a note the public will read.</summary>
    public static Publication Correct(Publication latest, string? note, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(latest);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new OnlyAnApprovedNoticeIsCorrected(latest.State));
        BusinessRules.Check(new ACorrectionSaysWhy(note));
        return new Publication(latest.InspectionId, latest.Number + 1, latest.PublicKey, latest.Content, latest.DisclosureFrom, latest.DisclosureTo, note!.Trim(), actor, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>The office saves the draft's parts.</summary>
    public void Edit(string content, DateOnly? from, DateOnly? to, string? correctionNote)
    {
        BusinessRules.Check(new OnlyADraftIsEdited(State));
        BusinessRules.Check(new ADisclosurePeriodDoesNotEndBeforeItStarts(from, to));
        if (Number > 1)
        {
            BusinessRules.Check(new ACorrectionSaysWhy(correctionNote));
            CorrectionNote = PlainText.Clean(correctionNote)!;
        }

        Content = content;
        DisclosureFrom = from;
        DisclosureTo = to;
        Version++;
    }

    /// <summary>送审: the office submits the draft with the notice as composed now; from here it is frozen.</summary>
    public void Submit(string snapshot, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new OnlyADraftIsSubmitted(State));
        BusinessRules.Check(new ANoticeHasItsDisclosurePeriod(DisclosureFrom, DisclosureTo));
        Snapshot = snapshot;
        State = PublicationState.Submitted;
        SubmittedByUserId = actor.UserId;
        SubmittedAtUtc = clock.GetUtcNow().UtcDateTime;
        ReturnReason = null;
        Version++;
    }

    /// <summary>The first responsible person sends it back, saying why; it is a draft again.</summary>
    public void Return(string? reason)
    {
        BusinessRules.Check(new OnlyASubmittedNoticeIsDecided(State));
        BusinessRules.Check(new AReasonIsRequired("退回", reason));
        State = PublicationState.Draft;
        Snapshot = null;
        ReturnReason = PlainText.Clean(reason)!;
        Version++;
    }

    /// <summary>审定: the first responsible person approves it; it is published on its start date. The version it corrects is superseded.</summary>
    public void Approve(Publication? corrected, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new OnlyASubmittedNoticeIsDecided(State));
        BusinessRules.Check(new NobodyApprovesANoticeTheySubmitted(SubmittedByUserId, actor));
        var at = clock.GetUtcNow().UtcDateTime;
        State = PublicationState.Approved;
        ApprovedByName = actor.DisplayName;
        ApprovedAtUtc = at;
        Version++;
        if (corrected is not null && corrected.State == PublicationState.Approved)
        {
            corrected.State = PublicationState.Superseded;
            corrected.SupersededAtUtc = at;
            corrected.Version++;
        }
    }

    /// <summary>What an approved version is on <paramref name="today"/> (China time).</summary>
    public static PublicationStanding StandingOn(DateOnly? from, DateOnly? to, DateOnly today) =>
        from is { } f && today < f ? PublicationStanding.Scheduled
        : to is { } t && today > t ? PublicationStanding.Closed
        : PublicationStanding.Open;

    public sealed class OnlyADraftIsEdited(PublicationState state) : IBusinessRule
    {
        public bool IsBroken() => state != PublicationState.Draft;

        public string Message => "只有草稿可以修改；已送审或已审定的版本不再改动，如需更正请新建更正版本。";
    }

    public sealed class OnlyADraftIsSubmitted(PublicationState state) : IBusinessRule
    {
        public bool IsBroken() => state != PublicationState.Draft;

        public string Message => "只有草稿可以送审。";
    }

    public sealed class OnlyASubmittedNoticeIsDecided(PublicationState state) : IBusinessRule
    {
        public bool IsBroken() => state != PublicationState.Submitted;

        public string Message => "只有已送审的版本可以审定或退回。";
    }

    public sealed class OnlyAnApprovedNoticeIsCorrected(PublicationState state) : IBusinessRule
    {
        public bool IsBroken() => state != PublicationState.Approved;

        public string Message => "只有已审定的最新版本可以更正；请先完成当前版本的送审和审定。";
    }

    public sealed class ACorrectionSaysWhy(string? note) : IBusinessRule
    {
        public bool IsBroken() => PlainText.Clean(note) is not { } kept || kept.Length > 500;

        public string Message => "请填写更正说明（不超过 500 字），它会显示在公开页面上。";

        public Refusal Refusal => Refusal.Invalid;
    }

    public sealed class ADisclosurePeriodDoesNotEndBeforeItStarts(DateOnly? from, DateOnly? to) : IBusinessRule
    {
        public bool IsBroken() => from is { } f && to is { } t && t < f;

        public string Message => $"公开期限的结束日期（{to:yyyy-MM-dd}）早于开始日期（{from:yyyy-MM-dd}）。";

        public Refusal Refusal => Refusal.Invalid;
    }

    public sealed class ANoticeHasItsDisclosurePeriod(DateOnly? from, DateOnly? to) : IBusinessRule
    {
        public bool IsBroken() => from is null || to is null;

        public string Message => "送审前请填写公开期限（开始和结束日期）。";

        public Refusal Refusal => Refusal.Invalid;
    }

    public sealed class NobodyApprovesANoticeTheySubmitted(string? submittedBy, Actor actor) : IBusinessRule
    {
        public bool IsBroken() => submittedBy is not null && submittedBy == actor.UserId;

        public string Message => "送审人不能审定自己送审的公布稿。";

        public Refusal Refusal => Refusal.NotPermitted;
    }
}

/// <summary>Where a public opinion stands in the office's triage.</summary>
public enum OpinionState
{
    /// <summary>已收到.</summary>
    Received = 0,

    /// <summary>办理中: assigned to a finding or unit.</summary>
    Assigned = 1,

    /// <summary>已答复.</summary>
    Replied = 2,

    /// <summary>已办结.</summary>
    Closed = 3,
}

/// <summary>
/// 意见建议: what a member of the public sent about a published notice, without an account. Stored as plain text;
/// the sender keeps <see cref="ReceiptCode"/> to see how it stands. The office assigns it, replies and closes it; a reply
/// the office marks as publishable appears under the notice once the first responsible person approves it.
/// </summary>
public sealed class PublicOpinion
{
    public const int MaxTextLength = 2000;
    public const int MaxContactLength = 100;

    /// <summary>来信摘要: what the public page shows of the question above a published reply.</summary>
    public const int MaxSummaryLength = 300;

    private PublicOpinion()
    {
        ReceiptCode = string.Empty;
        Text = string.Empty;
    }

    /// <summary>
    /// An opinion as received; <paramref name="formStamp"/> is the single-use part of the public form's stamp it came with
    /// (<see cref="FormStamp"/>); <paramref name="aboutFindingTitle"/> is the chosen problem's title as the sender read it.
    /// </summary>
    public PublicOpinion(int inspectionId, int publicationId, string receiptCode, string? text, string? contact, int? aboutFindingNumber, TimeProvider clock, string? formStamp = null, string? aboutFindingTitle = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var clean = PlainText.Clean(text);
        BusinessRules.Check(new AnOpinionSaysSomething(clean));
        var cleanContact = PlainText.Line(contact);
        BusinessRules.Check(new AContactIsShort(cleanContact));
        InspectionId = inspectionId;
        PublicationId = publicationId;
        ReceiptCode = receiptCode;
        Text = clean!;
        Contact = cleanContact;
        AboutFindingNumber = aboutFindingNumber;
        AboutFindingTitle = aboutFindingNumber is null || string.IsNullOrEmpty(aboutFindingTitle) ? null
            : aboutFindingTitle.Length <= MaxAboutTitleLength ? aboutFindingTitle : aboutFindingTitle[..MaxAboutTitleLength];
        FormStamp = formStamp;
        ReceivedAtUtc = clock.GetUtcNow().UtcDateTime;
        State = OpinionState.Received;
    }

    public int Id { get; private set; }

    public int InspectionId { get; private set; }

    /// <summary>The version the sender read.</summary>
    public int PublicationId { get; private set; }

    public string ReceiptCode { get; private set; }

    public string Text { get; private set; }

    /// <summary>Optional phone or email; shown only to staff who may read contacts.</summary>
    public string? Contact { get; private set; }

    /// <summary>The finding (by its number in the notice) the sender says it concerns.</summary>
    public int? AboutFindingNumber { get; private set; }

    /// <summary>
    /// The title of that finding in the notice the sender read: numbers change when a plan is renumbered and the notice
    /// republished, the problem the sender chose does not. Null for opinions taken before it was kept.
    /// </summary>
    public string? AboutFindingTitle { get; private set; }

    /// <summary>The most of <see cref="AboutFindingTitle"/> kept (a finding's title is at most this long).</summary>
    public const int MaxAboutTitleLength = 1000;

    /// <summary>
    /// The random, single-use part of the signed stamp of the form it was sent with (24 hex digits), unique: the same form
    /// posted again is refused by any server process, after a restart too. Nothing about the sender.
    /// </summary>
    public string? FormStamp { get; private set; }

    public DateTime ReceivedAtUtc { get; private set; }

    public OpinionState State { get; private set; }

    public int? AssignedFindingId { get; private set; }

    public int? AssignedUnitId { get; private set; }

    /// <summary>When it was last handed to a unit (交办); the unit's list is ordered by it.</summary>
    public DateTime? AssignedAtUtc { get; private set; }

    /// <summary>办理情况: what the unit it was handed to did about it, for the office's reply.</summary>
    public string? UnitResponse { get; private set; }

    public string? UnitRespondedByName { get; private set; }

    public DateTime? UnitRespondedAtUtc { get; private set; }

    /// <summary>
    /// What units it was handed to before said (“纪检监察办（联络员）：…”, newest last), for the office only: when the
    /// office hands it to another unit (or to none), the last unit's 办理情况 moves here, so the new unit reads none of it.
    /// </summary>
    public string? EarlierUnitResponses { get; private set; }

    /// <summary>The most <see cref="EarlierUnitResponses"/> keeps (the oldest lines go first; the audit log keeps every one).</summary>
    public const int MaxEarlierResponsesLength = 8000;

    public string? Reply { get; private set; }

    /// <summary>来信摘要: the office's own short wording of the question, shown above a published reply instead of the sender's words.</summary>
    public string? PublicSummary { get; private set; }

    public DateTime? RepliedAtUtc { get; private set; }

    public string? RepliedByName { get; private set; }

    /// <summary>The office proposes the reply for the public page.</summary>
    public bool ReplyIsPublishable { get; private set; }

    /// <summary>The first responsible person approved the reply for the public page.</summary>
    public string? ReplyApprovedByName { get; private set; }

    public DateTime? ClosedAtUtc { get; private set; }

    public int Version { get; private set; }

    public bool ReplyIsPublished => ReplyIsPublishable && ReplyApprovedByName is not null;

    /// <summary>
    /// The office sends it to a finding or a unit (or both); a unit newly named is told and answers with its 办理情况. When
    /// the unit changes, the last unit's 办理情况 (named by <paramref name="currentUnitName"/>) moves to
    /// <see cref="EarlierUnitResponses"/>: the office keeps it, the new unit starts with none.
    /// </summary>
    public void Assign(int? findingId, int? unitId, string? currentUnitName, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new AClosedOpinionStaysClosed(State));
        BusinessRules.Check(new AnAssignmentNamesSomething(findingId, unitId));
        AssignedFindingId = findingId;
        if (unitId != AssignedUnitId)
        {
            AssignedAtUtc = unitId is null ? null : clock.GetUtcNow().UtcDateTime;
            if (UnitResponse is not null)
            {
                var line = $"{currentUnitName ?? "原承办单位"}（{UnitRespondedByName}）：{UnitResponse}";
                var all = EarlierUnitResponses is null ? line : EarlierUnitResponses + "\n" + line;
                EarlierUnitResponses = all.Length <= MaxEarlierResponsesLength ? all : all[^MaxEarlierResponsesLength..];
                UnitResponse = null;
                UnitRespondedByName = null;
                UnitRespondedAtUtc = null;
            }
        }

        AssignedUnitId = unitId;
        if (State == OpinionState.Received)
        {
            State = OpinionState.Assigned;
        }

        Version++;
    }

    /// <summary>The unit it was handed to reports what it did (办理情况); it may say it again until the office closes the opinion.</summary>
    public void RespondAsUnit(string? response, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new AClosedOpinionStaysClosed(State));
        BusinessRules.Check(new OnlyAnAssignedUnitResponds(AssignedUnitId));
        var clean = PlainText.Clean(response);
        BusinessRules.Check(new AUnitResponseSaysSomething(clean));
        UnitResponse = clean;
        UnitRespondedByName = actor.DisplayName;
        UnitRespondedAtUtc = clock.GetUtcNow().UtcDateTime;
        Version++;
    }

    /// <summary>
    /// The office replies; a publishable reply waits for approval before the public sees it under the notice, with the
    /// office's 来信摘要 above it (never the sender's own words, which may name people or the sender).
    /// </summary>
    public void Answer(string? reply, bool publishable, string? publicSummary, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new AClosedOpinionStaysClosed(State));
        var clean = PlainText.Clean(reply);
        BusinessRules.Check(new AReplySaysSomething(clean));
        var summary = PlainText.Clean(publicSummary);
        BusinessRules.Check(new APublicReplyHasASummary(publishable, summary));
        Reply = clean;
        PublicSummary = summary;
        ReplyIsPublishable = publishable;
        ReplyApprovedByName = null;
        RepliedAtUtc = clock.GetUtcNow().UtcDateTime;
        RepliedByName = actor.DisplayName;
        State = OpinionState.Replied;
        Version++;
    }

    /// <summary>The first responsible person lets a publishable reply appear under the notice.</summary>
    public void ApproveReply(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        BusinessRules.Check(new OnlyAPublishableReplyIsApproved(ReplyIsPublishable && Reply is not null && ReplyApprovedByName is null));
        ReplyApprovedByName = actor.DisplayName;
        Version++;
    }

    public void Close(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new AClosedOpinionStaysClosed(State));
        State = OpinionState.Closed;
        ClosedAtUtc = clock.GetUtcNow().UtcDateTime;
        Version++;
    }

    public sealed class AnOpinionSaysSomething(string? text) : IBusinessRule
    {
        public bool IsBroken() => PlainText.IsBlank(text) || text.Length > MaxTextLength;

        public string Message => text is { Length: > MaxTextLength }
            ? $"意见建议不能超过 {MaxTextLength} 字（现有 {text.Length} 字），未提交。请删减后再提交，或通过公告所列电话、邮箱、信箱反映。"
            : $"请填写意见建议（不超过 {MaxTextLength} 字）。";

        public Refusal Refusal => Refusal.Invalid;
    }

    public sealed class AContactIsShort(string? contact) : IBusinessRule
    {
        public bool IsBroken() => contact is { Length: > MaxContactLength };

        public string Message => $"联系方式不能超过 {MaxContactLength} 字。";

        public Refusal Refusal => Refusal.Invalid;
    }

    public sealed class AReplySaysSomething(string? reply) : IBusinessRule
    {
        public bool IsBroken() => PlainText.IsBlank(reply) || reply.Length > MaxTextLength;

        public string Message => reply is { Length: > MaxTextLength }
            ? $"答复不能超过 {MaxTextLength} 字（现有 {reply.Length} 字）。"
            : $"请填写答复内容（不超过 {MaxTextLength} 字）。";

        public Refusal Refusal => Refusal.Invalid;
    }

    public sealed class AnAssignmentNamesSomething(int? findingId, int? unitId) : IBusinessRule
    {
        public bool IsBroken() => findingId is null && unitId is null;

        public string Message => "请选择交办的问题或单位。";

        public Refusal Refusal => Refusal.Invalid;
    }

    public sealed class AUnitResponseSaysSomething(string? response) : IBusinessRule
    {
        public bool IsBroken() => PlainText.IsBlank(response) || response.Length > MaxTextLength;

        public string Message => response is { Length: > MaxTextLength }
            ? $"办理情况不能超过 {MaxTextLength} 字（现有 {response.Length} 字）。"
            : $"请填写办理情况（不超过 {MaxTextLength} 字）。";

        public Refusal Refusal => Refusal.Invalid;
    }

    public sealed class OnlyAnAssignedUnitResponds(int? assignedUnitId) : IBusinessRule
    {
        public bool IsBroken() => assignedUnitId is null;

        public string Message => "这条意见建议没有交办给单位。";
    }

    public sealed class APublicReplyHasASummary(bool publishable, string? summary) : IBusinessRule
    {
        public bool IsBroken() => (publishable && summary is null) || summary is { Length: > MaxSummaryLength };

        public string Message => summary is { Length: > MaxSummaryLength }
            ? $"来信摘要不能超过 {MaxSummaryLength} 字（现有 {summary.Length} 字）。"
            : "在公告下公开的答复须填写来信摘要：用整改办自己的话概括来信反映的问题，不写来信人的原话、姓名和联系方式。";

        public Refusal Refusal => Refusal.Invalid;
    }

    public sealed class AClosedOpinionStaysClosed(OpinionState state) : IBusinessRule
    {
        public bool IsBroken() => state == OpinionState.Closed;

        public string Message => "这条意见建议已办结。";
    }

    public sealed class OnlyAPublishableReplyIsApproved(bool waiting) : IBusinessRule
    {
        public bool IsBroken() => !waiting;

        public string Message => "这条意见建议没有待同意公开的答复。";
    }
}

/// <summary>
/// Text a person typed, as it is kept: line breaks as "\n" (a browser sends "\r\n" and counts it as one; U+2028, U+2029 and
/// U+0085 are line breaks too), no control character but the line break and the tab, no format character at all (the
/// bidi embeddings, overrides and isolates, the zero-width characters, the soft hyphen, the tag characters and the rest
/// of Unicode's Cf: each makes text read other than it is stored, or hides part of it), no noncharacter, no blank filler
/// (U+3164 and its kin, which look like a character but show nothing), trimmed; null when nothing visible is left
/// (spaces, or marks with no character to sit on). Read by code point, so that characters beyond the BMP are judged too.
/// </summary>
public static class PlainText
{
    public static string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var kept = new System.Text.StringBuilder(text.Length);
        foreach (var rune in text.Replace("\r\n", "\n", StringComparison.Ordinal).EnumerateRunes())
        {
            if (rune.Value is '\r' or 0x2028 or 0x2029 or 0x85)
            {
                kept.Append('\n');
            }
            else if (rune.Value is '\n' or '\t' || !IsHidden(rune))
            {
                kept.Append(rune.ToString());
            }
        }

        var clean = kept.ToString().Trim();
        return clean.EnumerateRunes().Any(Shows) ? clean : null;
    }

    /// <summary>
    /// One line of text (a name, a title, a document number): <see cref="Clean"/>, with each run of line breaks and tabs
    /// inside it turned into one space; null when nothing visible is left.
    /// </summary>
    public static string? Line(string? text)
    {
        var clean = Clean(text);
        return clean is null ? null : System.Text.RegularExpressions.Regex.Replace(clean, @"[ \t]*[\n\t][\s]*", " ");
    }

    /// <summary>Nothing visible: what <see cref="Clean"/> turns into null (a rule refusing empty text asks this).</summary>
    public static bool IsBlank([System.Diagnostics.CodeAnalysis.NotNullWhen(false)] string? text) => Clean(text) is null;

    /// <summary>A character that shows something by itself: not a space, nor a mark that only modifies another (a variation selector, a combining mark), nor a blank filler.</summary>
    private static bool Shows(System.Text.Rune rune) =>
        !System.Text.Rune.IsWhiteSpace(rune) && !IsBlankFiller(rune.Value)
        && System.Text.Rune.GetUnicodeCategory(rune) is not (System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.EnclosingMark or System.Globalization.UnicodeCategory.Format);

    /// <summary>Removed from typed text: controls, every format character (Cf), the noncharacters, and the blank fillers.</summary>
    private static bool IsHidden(System.Text.Rune rune) =>
        System.Text.Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format
        || IsNoncharacter(rune.Value) || IsBlankFiller(rune.Value);

    /// <summary>U+FDD0–FDEF and the last two code points of every plane: never characters, kept for a program's own use.</summary>
    private static bool IsNoncharacter(int value) => value is >= 0xFDD0 and <= 0xFDEF || (value & 0xFFFE) == 0xFFFE;

    /// <summary>
    /// The blanks that pass for characters: the grapheme joiner (U+034F), the Hangul fillers (U+115F, U+1160, U+3164,
    /// U+FFA0), the Khmer inherent vowels (U+17B4/5) and the blank Braille pattern (U+2800).
    /// </summary>
    private static bool IsBlankFiller(int value) => value is 0x034F or 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x17B4 or 0x17B5 or 0x2800;
}

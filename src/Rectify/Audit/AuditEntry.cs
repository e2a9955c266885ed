namespace Rectify.Audit;

/// <summary>The event catalogue.</summary>
public static class AuditActions
{
    public const string SignInSucceeded = "signin.success";
    public const string SignInFailed = "signin.failure";
    public const string LockedOut = "signin.lockout";
    public const string SignedOut = "signout";
    public const string UserCreated = "user.create";
    public const string UserDisabled = "user.disable";
    public const string UserEnabled = "user.enable";
    public const string UserRolesChanged = "user.roles";
    public const string PasswordReset = "user.password-reset";
    public const string PasswordChanged = "user.password-change";
    public const string SecondFactorEnabled = "user.mfa-enable";
    public const string SecondFactorReset = "user.mfa-reset";
    public const string RecoveryCodesRenewed = "user.mfa-recovery-codes";
    public const string PasswordLinkIssued = "user.password-link";
    public const string PasswordSetByLink = "user.password-set";
    public const string TokenCreated = "token.create";
    public const string TokenRevoked = "token.revoke";
    public const string TokenUsed = "token.use";
    public const string TokenRejected = "token.reject";
    public const string UserOrganizationChanged = "user.organization";
    public const string NoticeImported = "notice.import";
    public const string OrganizationCreated = "organization.create";
    public const string OrganizationRenamed = "organization.rename";
    public const string OrganizationMoved = "organization.move";
    public const string OrganizationDeleted = "organization.delete";
    public const string DemoSeeded = "demo.seed";
    public const string AuditViewed = "audit.query";
    public const string AuditExported = "audit.export";
    public const string AuditKeyRotated = "audit.key-rotate";

    /// <summary>`keys rotate-columns`: the encrypted columns re-encrypted under the current column key (ADR 0025).</summary>
    public const string ColumnsReencrypted = "at-rest.rotate-columns";
    public const string AuditCheckpointsDownloaded = "audit.checkpoints-download";

    /// <summary>A signed-in caller refused by authorization (a page's 404, the API's 403) or by a step their role may not take.</summary>
    public const string AccessDenied = "access.denied";

    /// <summary>A form post without a valid anti-forgery token.</summary>
    public const string AntiforgeryRejected = "antiforgery.reject";

    /// <summary>A role change the rules refused (the 三员 exclude each other and every business role…).</summary>
    public const string UserRolesRefused = "user.roles-refused";

    /// <summary>A 停用 the rules refused (the last account in use of a 三员 role).</summary>
    public const string UserDisableRefused = "user.disable-refused";
    public const string ReportSubmitted = "report.submit";
    public const string ReportAccepted = "report.accept";
    public const string ReportReturned = "report.return";
    public const string ReportWithdrawn = "report.withdraw";
    public const string SupportReported = "support.report";
    public const string SupportWithdrawn = "support.withdraw";
    public const string EvidenceDownloaded = "evidence.download";

    /// <summary>A stored evidence file no longer has the SHA-256 on record (edited, damaged or missing on disk): refused, recorded against its measure.</summary>
    public const string EvidenceIntegrityFailed = "evidence.integrity";

    /// <summary>The virus scanner found malware in an upload: refused, nothing kept, recorded with the scanner's name for it.</summary>
    public const string EvidenceInfected = "evidence.infected";
    public const string LookBackScheduled = "lookback.schedule";
    public const string LookBacksScheduled = "lookback.schedule.bulk";
    public const string LookBackConsolidated = "lookback.consolidated";
    public const string LookBackRebound = "lookback.rebound";
    public const string InstitutionRegistered = "register.institution";
    public const string OutcomeRegistered = "register.outcome";
    public const string LeadRegistered = "register.lead";
    public const string RegisterEntryCorrected = "register.correct";
    public const string RegisterEntryWithdrawn = "register.withdraw";
    public const string CadenceSet = "inspection.cadence";
    public const string LedgerExported = "ledger.export";
    public const string InspectionListExported = "inspection.list.export";
    public const string UserPersonLinked = "user.person";
    public const string InspectionCreated = "inspection.create";
    public const string InspectionDescribed = "inspection.edit";
    public const string InspectionDeleted = "inspection.delete";
    public const string CategoryAdded = "plan.category.add";
    public const string CategoryEdited = "plan.category.edit";
    public const string FindingAdded = "plan.finding.add";
    public const string FindingEdited = "plan.finding.edit";
    public const string MeasureAdded = "plan.measure.add";
    public const string MeasureAmended = "plan.measure.amend";
    public const string MeasuresAmended = "plan.measure.bulk";
    public const string PersonCreated = "person.create";

    /// <summary>A person kept without a position given the one typed with their name.</summary>
    public const string PersonUpdated = "person.update";

    public const string LedgerImported = "ledger.import";
    public const string RoundStatisticsRecorded = "round.statistics";
    public const string CategoryMoved = "plan.category.move";
    public const string FindingMoved = "plan.finding.move";
    public const string MeasureMoved = "plan.measure.move";

    /// <summary>按类别顺序重新编号: categories and findings numbered 1, 2, 3… in order.</summary>
    public const string PlanRenumbered = "plan.renumber";
    public const string MeasureDeleted = "plan.measure.delete";
    public const string MeasureWithdrawn = "plan.measure.withdraw";
    public const string PublicationStarted = "publication.start";
    public const string PublicationEdited = "publication.edit";
    public const string PublicationSubmitted = "publication.submit";
    public const string PublicationReturned = "publication.return";
    public const string PublicationApproved = "publication.approve";
    public const string PublicationCorrected = "publication.correct";
    public const string PublicProgressWritten = "publication.progress";
    public const string OpinionAssigned = "opinion.assign";
    public const string OpinionReplied = "opinion.reply";
    public const string OpinionUnitResponded = "opinion.unit-respond";
    public const string OpinionReplyApproved = "opinion.reply-approve";
    public const string OpinionClosed = "opinion.close";
    public const string NotificationsResent = "notification.resend";
    public const string NotificationPreferencesSet = "notification.preferences";
    public const string CalendarImported = "calendar.import";
    public const string DeadlinePolicySet = "inspection.deadline-policy";
    public const string SignalRulesSet = "inspection.signal-rules";
    public const string DeadlinesFilledByPolicy = "plan.measure.policy-deadline";
    public const string ExtensionRequested = "extension.request";
    public const string ExtensionForwarded = "extension.forward";
    public const string ExtensionReturned = "extension.return";
    public const string ExtensionApproved = "extension.approve";
    public const string ExtensionRefused = "extension.refuse";
    public const string ExtensionWithdrawn = "extension.withdraw";
    public const string SupervisionIssued = "supervision.issue";
    public const string SupervisionReplied = "supervision.reply";
    public const string SupervisionClosed = "supervision.close";
    public const string SupervisionReplyReturned = "supervision.return";
    public const string DocumentCodeSet = "organization.document-code";

    /// <summary>A step of the plan's life: "plan.submit", "plan.return", "plan.approve".</summary>
    public static string Of(Domain.PlanAction action) => "plan." + action.ToString().ToLowerInvariant();

    /// <summary>A step of a measure's life: "measure.start", "measure.approve"…</summary>
    public static string Of(Domain.MeasureAction action) => "measure." + action.ToString().ToLowerInvariant();
}

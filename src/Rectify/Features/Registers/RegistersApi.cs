using Microsoft.AspNetCore.Http.HttpResults;
using Rectify.Features.Common;

namespace Rectify.Features.Registers;

/// <summary>The registers through the API: read by all who see the inspection (leads by the discipline officer only), kept — registered, corrected, withdrawn — with a personal token.</summary>
public static class RegistersApi
{
    public static void MapRegistersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();

        api.MapGet("/inspections/{id:int}/registers", async Task<Results<Ok<RegistersView>, NotFound>> (RegisterService registers, int id, CancellationToken ct) =>
                await registers.ReadAsync(id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound())
            .WithTags("Registers")
            .WithName("GetRegisters")
            .WithSummary("建章立制、整改成效（看得到这次巡察的人都可读）；问题线索仅纪检监察人员可见，其他人得到 leads = null。每条登记为当前版本（version），earlierVersions 为此前各版（谁、何时、理由、当时的内容）；已撤销的登记在 withdrawn 中，不计入 totals。");

        api.MapPost("/inspections/{id:int}/registers/institutions", async Task<IResult> (RegisterService registers, int id, NewInstitution? body, CancellationToken ct) =>
                Api.Answer(await registers.AddInstitutionAsync(id, body ?? new NewInstitution(null, null, null, null, null), ct), created: $"/api/v1/inspections/{id}/registers"))
            .RequireToken()
            .WithTags("Registers")
            .WithName("AddInstitution")
            .Produces<WriteResult>(StatusCodes.Status201Created)
            .WithSummary("整改办登记建章立制：name 制度名称、issuer 制定单位、documentNumber 文号、issuedOn 印发日期、findings 对应问题序号。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/registers/outcomes", async Task<IResult> (RegisterService registers, int id, NewOutcome? body, CancellationToken ct) =>
                Api.Answer(await registers.AddOutcomeAsync(id, body ?? new NewOutcome(null, null, null, null), ct), created: $"/api/v1/inspections/{id}/registers"))
            .RequireToken()
            .WithTags("Registers")
            .WithName("AddOutcome")
            .Produces<WriteResult>(StatusCodes.Status201Created)
            .WithSummary("整改办登记整改成效：kind（MoneyRecovered 挽回经济损失（万元）/ PeopleHandled 处理人数 / MeetingsHeld 召开会议（次））、amount、note、findings。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/registers/leads", async Task<IResult> (RegisterService registers, int id, NewLead? body, CancellationToken ct) =>
                Api.Answer(await registers.AddLeadAsync(id, body ?? new NewLead(null, null, null, null), ct), created: $"/api/v1/inspections/{id}/registers"))
            .RequireToken()
            .WithTags("Registers")
            .WithName("AddLead")
            .Produces<WriteResult>(StatusCodes.Status201Created)
            .WithSummary("纪检监察人员登记问题线索：summary、status（HandedOver 已移交 / UnderReview 核查中 / Closed 已办结）、disposition、findings。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/registers/institutions/{entryId:int}/corrections", async Task<IResult> (RegisterService registers, int id, int entryId, InstitutionCorrection? body, CancellationToken ct) =>
                Api.Answer(await registers.CorrectInstitutionAsync(id, entryId, body ?? new InstitutionCorrection(null, null, null, null, null, null, null), ct), created: null))
            .RequireToken()
            .WithTags("Registers")
            .WithName("CorrectInstitution")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("整改办更正一条建章立制：version 为要更正的版本（已被他人更正或撤销时回答 409），reason 更正理由（必填），其余为更正后的全部内容（同登记）。原版本保留。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/registers/outcomes/{entryId:int}/corrections", async Task<IResult> (RegisterService registers, int id, int entryId, OutcomeCorrection? body, CancellationToken ct) =>
                Api.Answer(await registers.CorrectOutcomeAsync(id, entryId, body ?? new OutcomeCorrection(null, null, null, null, null, null), ct), created: null))
            .RequireToken()
            .WithTags("Registers")
            .WithName("CorrectOutcome")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("整改办更正一条整改成效：version、reason（必填），其余为更正后的全部内容（同登记）。原版本保留。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/registers/leads/{entryId:int}/corrections", async Task<IResult> (RegisterService registers, int id, int entryId, LeadCorrection? body, CancellationToken ct) =>
                Api.Answer(await registers.CorrectLeadAsync(id, entryId, body ?? new LeadCorrection(null, null, null, null, null, null), ct), created: null))
            .RequireToken()
            .WithTags("Registers")
            .WithName("CorrectLead")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("纪检监察人员更正一条问题线索：version、reason（必填），其余为更正后的全部内容（同登记）。原版本保留。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/registers/{register}/{entryId:int}/withdrawal", async Task<IResult> (RegisterService registers, int id, string register, int entryId, Withdrawal? body, CancellationToken ct) =>
                Enum.TryParse<RegisterKind>(register, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !int.TryParse(register, out _)
                    ? Api.Answer(await registers.WithdrawAsync(kind, id, entryId, body ?? new Withdrawal(null, null), ct), created: null)
                    : TypedResults.NotFound())
            .RequireToken()
            .WithTags("Registers")
            .WithName("WithdrawRegisterEntry")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("撤销一条登记（register 为 institutions、outcomes 或 leads）：version、reason（必填）。撤销的登记保留并标明，不再计入合计，也不能再更正。仅接受个人 API 令牌。");
    }
}

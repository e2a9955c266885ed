// The rectification's workflow through a client generated from the live OpenAPI document (issue #17, docs/adr/0027):
// the unit files a progress report with evidence (multipart) → the office accepts it → the sign-off (the unit applies,
// the office accepts the application, the responsible leader approves) → the office schedules a look-back (回头看) and
// records that the rectification held. Typed by schema.d.ts (node generate.mjs), with no type assertion anywhere: the
// contract test (OpenApiContractTests) refuses one.
//
// Inputs: RECTIFY_URL, RECTIFY_MEASURE (a measure in progress that the unit leads), and personal API tokens
// RECTIFY_TOKEN_UNIT, RECTIFY_TOKEN_OFFICE, RECTIFY_TOKEN_LEADER.
import createClient from "openapi-fetch";
import type { paths, components } from "./schema.js";

// Node's own globals, the two this script reads (the project carries no Node type package).
declare const process: { env: Record<string, string | undefined>; exitCode: number | undefined };

type Measure = components["schemas"]["MeasureDetail"];
type Action = components["schemas"]["MeasureAction"];

function setting(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

const baseUrl = setting("RECTIFY_URL");
const measureId = Number.parseInt(setting("RECTIFY_MEASURE"), 10);

function client(token: string) {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
}

const unit = client(setting("RECTIFY_TOKEN_UNIT"));
const office = client(setting("RECTIFY_TOKEN_OFFICE"));
const leader = client(setting("RECTIFY_TOKEN_LEADER"));
type Client = typeof unit;

function fail(step: string, status: number, problem: unknown): never {
  throw new Error(`${step}: HTTP ${status} ${JSON.stringify(problem)}`);
}

async function readMeasure(by: Client): Promise<Measure> {
  const { data, error, response } = await by.GET("/api/v1/measures/{id}", { params: { path: { id: measureId } } });
  if (!data) {
    return fail("read the measure", response.status, error);
  }
  return data;
}

async function act(by: Client, action: Action): Promise<Measure> {
  const { version } = await readMeasure(by);
  const { data, error, response } = await by.POST("/api/v1/measures/{id}/actions/{action}", {
    params: { path: { id: measureId, action } },
    body: { reason: null, version },
  });
  if (!data) {
    return fail(action, response.status, error);
  }
  console.log(`${action}: ${data.state} (version ${data.version})`);
  return data;
}

const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
const before = await readMeasure(unit);
if (before.state !== "InProgress") {
  throw new Error(`measure ${measureId} is ${before.state}, not InProgress`);
}

// 1. The unit files its report, a PDF attached (multipart/form-data).
const evidence = new Blob([`%PDF-1.4\n% rectify api client\n%%EOF\n`], { type: "application/pdf" });
const filed = await unit.POST("/api/v1/measures/{id}/reports", {
  params: { path: { id: measureId } },
  body: { narrative: "已修订制度并印发执行。", percent: 100, effectiveDate: today, files: [evidence] },
  bodySerializer(body) {
    const form = new FormData();
    form.append("narrative", body.narrative);
    form.append("percent", String(body.percent));
    form.append("effectiveDate", body.effectiveDate);
    for (const file of body.files ?? []) {
      form.append("files", file, "制度印发稿.pdf");
    }
    return form;
  },
});
const reportId = filed.data?.id;
if (typeof reportId !== "number") {
  fail("file the report", filed.response.status, filed.error);
}
console.log(`report ${reportId}: ${filed.data?.message}`);

// 2. The office accepts it.
const reviewed = await office.POST("/api/v1/reports/{id}/review", { params: { path: { id: reportId } }, body: { decision: "accept", reason: null } });
if (!reviewed.data) {
  fail("review the report", reviewed.response.status, reviewed.error);
}
console.log(`review: ${reviewed.data.message}`);

const reports = await office.GET("/api/v1/measures/{id}/reports", { params: { path: { id: measureId } } });
const accepted = reports.data?.find((r) => r.id === reportId);
if (accepted?.state !== "Accepted" || accepted.evidence.length !== 1) {
  fail("read the reports", reports.response.status, reports.data ?? reports.error);
}

// 3. The sign-off: the unit applies, the office accepts the application, the responsible leader approves.
await act(unit, "ApplyForSignOff");
await act(office, "AcceptApplication");
const signedOff = await act(leader, "Approve");
if (signedOff.state !== "SignedOff") {
  throw new Error(`after approval the measure is ${signedOff.state}`);
}

// 4. The office schedules a look-back and records that the rectification held.
const scheduled = await office.POST("/api/v1/measures/{id}/lookbacks", { params: { path: { id: measureId } }, body: { dueDate: null } });
const lookBackId = scheduled.data?.id;
if (typeof lookBackId !== "number") {
  fail("schedule the look-back", scheduled.response.status, scheduled.error);
}
const recorded = await office.POST("/api/v1/lookbacks/{id}/result", {
  params: { path: { id: lookBackId } },
  body: { result: "Consolidated", finding: "抽查制度执行记录，整改成果巩固。" },
});
if (!recorded.data) {
  fail("record the look-back", recorded.response.status, recorded.error);
}
const lookBacks = await office.GET("/api/v1/measures/{id}/lookbacks", { params: { path: { id: measureId } } });
const done = lookBacks.data?.find((l) => l.id === lookBackId);
if (done?.result !== "Consolidated") {
  fail("read the look-backs", lookBacks.response.status, lookBacks.data ?? lookBacks.error);
}

const after = await readMeasure(office);
console.log(`look-back ${lookBackId}: ${done.result}; measure ${measureId} ${after.state}`);
console.log("workflow complete");

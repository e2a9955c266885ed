// Types for the Rectify API from its live OpenAPI document (issue #17, docs/adr/0027):
//   node generate.mjs openapi.json schema.d.ts
// As openapi-typescript's CLI, with one transform: a file (format: binary) is a Blob, so that a multipart body can
// carry one (the CLI would type it as a string).
import { readFile, writeFile } from "node:fs/promises";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node generate.mjs openapi.json schema.d.ts");
  process.exit(2);
}

const blob = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));
const ast = await openapiTS(JSON.parse(await readFile(input, "utf8")), {
  transform(schema) {
    if (schema.format === "binary") {
      return blob;
    }
    return undefined;
  },
});
await writeFile(output, astToString(ast));

import { dereference } from '@readme/openapi-parser';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// The API's own document as the referee of its answers: every response a test receives is checked
// against the operation's documented status, content type and schema (objects closed: no extra key).

type Json = Record<string, unknown>;

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

export interface ContractResponse {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

export interface ResponseContract {
  /** What is wrong with this answer to `method url`, or an empty list. */
  violations(method: string, url: string, response: ContractResponse): string[];
  /** Every operation of the document, as `METHOD /template`. */
  operations: string[];
}

const problemType = 'application/problem+json';

export async function responseContract(document: Json): Promise<ResponseContract> {
  const resolved = (await dereference(structuredClone(document) as never)) as unknown as {
    paths: Record<string, Record<string, Operation['responses'] | Json>>;
    components: { schemas: Record<string, Json> };
  };
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const compiled = new Map<Json, ValidateFunction>();
  const validatorOf = (schema: Json) => {
    let validate = compiled.get(schema);
    if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
    return validate;
  };
  const problem = validatorOf(resolved.components.schemas.Problem!);

  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(resolved.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const source = '^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+') + '$';
      operations.push({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(source),
        responses: (operation as { responses: Operation['responses'] }).responses,
      });
    }
  }

  function violations(method: string, url: string, response: ContractResponse): string[] {
    const path = url.split('?')[0]!;
    const status = response.statusCode;
    const type = String(response.headers['content-type'] ?? '').split(';')[0]!.trim();
    const where = `${method} ${url.length > 120 ? `${url.slice(0, 120)}…` : url} → ${status}`;
    const found: string[] = [];
    let body: unknown;
    try {
      body = response.body === '' ? undefined : JSON.parse(response.body);
    } catch {
      body = Symbol('not JSON');
    }
    const check = (validate: ValidateFunction, what: string) => {
      if (!validate(body)) found.push(`${where}: ${what} ${ajv.errorsText(validate.errors)} in ${response.body.slice(0, 300)}`);
    };
    if (status >= 400) {
      if (type !== problemType) found.push(`${where}: content-type ${type || '(none)'}, not ${problemType}`);
      check(problem, 'not a Problem:');
    }
    if (status >= 500) return [...found, `${where}: a server error`];

    const matching = operations.filter((o) => o.pattern.test(path));
    const operation = matching.find((o) => o.method === method || (method === 'HEAD' && o.method === 'GET'));
    if (!operation) {
      // Unknown path or method: only the generic problems (404, 405, 413, 414, 415, 422).
      if (status < 400) found.push(`${where}: answers an undocumented operation`);
      if (matching.length && status === 405) {
        const allow = String(response.headers.allow ?? '');
        for (const o of matching) if (!allow.includes(o.method)) found.push(`${where}: Allow "${allow}" lacks ${o.method}`);
      }
      return found;
    }
    const documented = operation.responses[String(status)];
    if (!documented) return [...found, `${where}: status not documented for ${operation.method} ${operation.template}`];
    if (!documented.content) return response.body === '' ? found : [...found, `${where}: documented without a body, but has one`];
    const content = documented.content;
    const schema = content[type]?.schema;
    if (!schema) return [...found, `${where}: content-type ${type} not documented (${Object.keys(content).join(', ')})`];
    if (method !== 'HEAD' && status < 400 && type.endsWith('json')) check(validatorOf(schema), 'body does not match its schema:');
    return found;
  }

  return { violations, operations: operations.map((o) => `${o.method} ${o.template}`) };
}

// Static checks of every GitLab component in templates/: the inputs a template interpolates are
// the ones it declares (and the other way round), defaults fit their types, options and regexes,
// no global keyword collides with the including pipeline, and every shell script parses.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { projectRoot } from '../../support/gitlab-ci-local.ts';

const execFileAsync = promisify(execFile);

type InputSpec = {
  description?: unknown;
  type?: unknown;
  default?: unknown;
  options?: unknown;
  regex?: unknown;
};

type Template = {
  file: string;
  spec: { component?: unknown; inputs?: Record<string, InputSpec>; description?: unknown };
  contentText: string;
  content: Record<string, Record<string, unknown>>;
};

const templatesDir = join(projectRoot, 'templates');
const templateFiles = readdirSync(templatesDir).filter((f) => f.endsWith('.yml'));

function loadTemplate(file: string): Template {
  const text = readFileSync(join(templatesDir, file), 'utf8');
  const docs = parseAllDocuments(text);
  assert.equal(docs.length, 2, `${file}: a component is a spec document and a content document`);
  for (const doc of docs) assert.deepEqual(doc.errors, [], `${file}: YAML errors`);
  const [specDoc, contentDoc] = docs as [(typeof docs)[number], (typeof docs)[number]];
  const spec = (specDoc.toJS() as { spec: Template['spec'] }).spec;
  assert.ok(spec, `${file}: the first document holds spec:`);
  const range = contentDoc.contents?.range;
  assert.ok(range, `${file}: the content document is empty`);
  return {
    file,
    spec,
    contentText: text.slice(range[0], range[2]),
    content: contentDoc.toJS() as Template['content'],
  };
}

const templates = templateFiles.map(loadTemplate);

const INTERPOLATION = /\$\[\[\s*(inputs|component)\.([\w-]+)\s*(\|[^\]]*)?\]\]/g;

function interpolations(text: string, kind: 'inputs' | 'component'): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(INTERPOLATION)) if (m[1] === kind) names.add(m[2]!);
  return names;
}

function typeOf(value: unknown): string {
  return Array.isArray(value) ? 'array' : typeof value;
}

/** The content with every input replaced by its default (or a sample for required ones). */
function renderWithDefaults(t: Template, samples: Record<string, string> = {}): string {
  return t.contentText.replace(INTERPOLATION, (_all, kind: string, name: string) => {
    if (kind === 'component') return '1.2.3';
    const input = t.spec.inputs?.[name];
    if (samples[name] !== undefined) return samples[name];
    if (input?.default === undefined)
      throw new Error(`${t.file}: required input ${name} needs a sample value`);
    return String(input.default);
  });
}

/** Values for the inputs that have no default. */
const requiredSamples = { url: 'https://proxy.example.com', 'proxy-url': 'https://proxy.example.com' };

test('templates: there are components to check', () => {
  assert.deepEqual(templateFiles.sort(), [
    'goproxy-check.yml',
    'goproxy-remote.yml',
    'goproxy.yml',
    'health.yml',
    'prewarm.yml',
  ]);
});

for (const t of templates) {
  test(`${t.file}: every interpolated input is declared and every declared input is used`, () => {
    const declared = new Set(Object.keys(t.spec.inputs ?? {}));
    const used = interpolations(t.contentText, 'inputs');
    assert.deepEqual(
      [...used].filter((n) => !declared.has(n)),
      [],
      'interpolated but not declared',
    );
    assert.deepEqual(
      [...declared].filter((n) => !used.has(n)),
      [],
      'declared but never used',
    );
  });

  test(`${t.file}: component context: declared in spec:component exactly when used`, () => {
    const declared = new Set(Array.isArray(t.spec.component) ? (t.spec.component as string[]) : []);
    const used = interpolations(t.contentText, 'component');
    assert.deepEqual([...declared].sort(), [...used].sort());
    for (const name of declared) assert.ok(['name', 'sha', 'version', 'reference'].includes(name), name);
    // A template that runs the CLI pins it to the component's own version.
    if (t.contentText.includes('goproxy-action@'))
      assert.ok(used.has('version'), 'the template pins its CLI to $[[ component.version ]]');
  });

  test(`${t.file}: inputs are described and their defaults fit their type, options and regex`, () => {
    assert.equal(typeof t.spec.description, 'string', 'the component has a description');
    for (const [name, input] of Object.entries(t.spec.inputs ?? {})) {
      const where = `${t.file}: input ${name}`;
      assert.ok(
        typeof input.description === 'string' && input.description.length > 10,
        `${where} has a description`,
      );
      const type = (input.type as string | undefined) ?? 'string';
      assert.ok(['string', 'number', 'boolean', 'array'].includes(type), `${where}: unknown type ${type}`);
      if (input.default !== undefined)
        assert.equal(typeOf(input.default), type, `${where}: default is not a ${type}`);
      if (input.options !== undefined) {
        assert.ok(Array.isArray(input.options) && input.options.length > 1, `${where}: options is a list`);
        for (const option of input.options) assert.equal(typeOf(option), type, `${where}: option ${option}`);
        if (input.default !== undefined)
          assert.ok(input.options.includes(input.default), `${where}: default not in options`);
      }
      if (input.regex !== undefined) {
        assert.equal(type, 'string', `${where}: regex only applies to strings`);
        const re = new RegExp(input.regex as string);
        if (input.default !== undefined)
          assert.match(String(input.default), re, `${where}: default fails its regex`);
      }
    }
  });

  test(`${t.file}: no global keywords; visible jobs take their name and stage from inputs`, () => {
    const globalKeywords = [
      'default',
      'include',
      'stages',
      'variables',
      'workflow',
      'image',
      'services',
      'cache',
      'before_script',
      'after_script',
      'types',
      'spec',
    ];
    for (const key of Object.keys(t.content)) {
      assert.ok(!globalKeywords.includes(key), `${t.file} sets the global keyword ${key}`);
      if (key.startsWith('.')) continue;
      assert.match(key, /^\$\[\[ inputs\.[\w-]+ \]\]$/, `${t.file}: visible job ${key} is named by an input`);
      assert.match(
        String(t.content[key]!.stage),
        /^\$\[\[ inputs\.[\w-]+ \]\]$/,
        `${t.file}: job ${key}'s stage is an input`,
      );
    }
  });

  test(`${t.file}: every extends target exists in the template, for every option of the inputs it names`, () => {
    for (const [job, body] of Object.entries(t.content)) {
      const targets =
        body.extends === undefined ? [] : ([] as string[]).concat(body.extends as string | string[]);
      for (const target of targets) {
        const m = /\$\[\[ inputs\.([\w-]+) \]\]/.exec(target);
        const values = m ? (t.spec.inputs?.[m[1]!]?.options as string[]) : [''];
        assert.ok(values, `${job} extends by input ${m?.[1]}, which must have options`);
        for (const value of values) {
          const name = m ? target.replace(m[0], value) : target;
          assert.ok(name in t.content, `${t.file}: ${job} extends ${name}, which it does not define`);
        }
      }
    }
  });
}

/** Every shell script in a rendered template: script keys and the service script variable. */
function shellScripts(rendered: string): { where: string; script: string }[] {
  const [doc] = parseAllDocuments(`${rendered}\n`);
  const content = doc!.toJS() as Record<string, Record<string, unknown>>;
  const scripts: { where: string; script: string }[] = [];
  for (const [job, body] of Object.entries(content)) {
    for (const key of ['before_script', 'script', 'after_script']) {
      const value = body[key];
      for (const [i, line] of ([] as unknown[]).concat(value ?? []).entries())
        scripts.push({ where: `${job}.${key}[${i}]`, script: String(line) });
    }
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    for (const [name, value] of Object.entries(variables)) {
      if (typeof value === 'object' && value !== null && 'value' in value)
        scripts.push({
          where: `${job}.variables.${name}`,
          script: String((value as { value: unknown }).value),
        });
    }
    for (const service of ([] as Record<string, unknown>[]).concat(
      (body.services as Record<string, unknown>[]) ?? [],
    ))
      for (const command of ([] as string[]).concat((service.command as string[]) ?? []))
        scripts.push({ where: `${job}.services.command`, script: command });
  }
  return scripts;
}

for (const t of templates) {
  test(`${t.file}: every script parses as POSIX sh (dash) and bash`, async () => {
    const scripts = shellScripts(renderWithDefaults(t, requiredSamples));
    assert.ok(scripts.length > 0);
    for (const { where, script } of scripts) {
      for (const shell of ['dash', 'bash']) {
        await execFileAsync(shell, ['-n', '-c', script]).catch((err: { stderr?: string }) => {
          assert.fail(`${t.file} ${where} does not parse with ${shell}: ${err.stderr}`);
        });
      }
    }
  });
}

test('goproxy.yml: the .goproxy job the docs name exists in both modes, with a per-branch cache key and the default branch as fallback', () => {
  const t = templates.find((x) => x.file === 'goproxy.yml')!;
  assert.equal(t.content['.goproxy']!.extends, '.goproxy-$[[ inputs.mode ]]');
  const cache = t.content['.goproxy-settings']!.cache as Record<string, unknown>;
  assert.equal(cache.key, '$[[ inputs.cache-key ]]-$CI_COMMIT_REF_SLUG');
  assert.deepEqual(cache.fallback_keys, ['$[[ inputs.cache-key ]]-$CI_DEFAULT_BRANCH']);
  assert.deepEqual(cache.paths, ['.goproxy-cache/', '.goproxy-gocache/', '.goproxy-modtree/']);
});

// Issue 13: the templates only find the CLI and call its `ci` steps. Every rule (private
// patterns, the remote environment, netrc handling, the probe, dotenv and code quality
// writing) lives in TypeScript; a script that does one of these in shell is refused here.
const engineRules: [RegExp, string][] = [
  [
    /^\s*(export\s+)?(GOPROXY|GONOPROXY|GOPRIVATE|GONOSUMDB|GOSUMDB|NETRC|GOAUTH)=/m,
    'sets a Go variable itself',
  ],
  [/\bIFS=|\bfor pattern\b|\bprivate=|\bgonoproxy=/, 'merges private patterns'],
  [/netrc|machine %s|\bawk\b/i, 'handles a netrc file'],
  [/goproxy-action\.invalid|%\{http_code\}/, 'probes the remote proxy'],
  [/%s=%s|goproxy\.env\b.*>>|>>\s*goproxy\.env/, 'writes the dotenv report'],
  [/--format codequality/, 'writes the code quality report'],
  [/\bnpx\b/, 'fetches the CLI outside the one bootstrap'],
];

/** A script without its comment lines (comments may name what the CLI does). */
function withoutComments(script: string): string {
  return script
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n');
}

for (const t of templates) {
  test(`${t.file}: the rendered scripts hold no engine rule, only the bootstrap and CLI calls`, () => {
    const scripts = shellScripts(renderWithDefaults(t, requiredSamples));
    let bootstraps = 0;
    let cliCalls = 0;
    for (const { where, script } of scripts) {
      if (where.endsWith('.variables.GOPROXY_ACTION_BOOTSTRAP')) {
        bootstraps++;
        continue;
      }
      for (const [rule, what] of engineRules)
        assert.doesNotMatch(
          withoutComments(script),
          rule,
          `${t.file} ${where} ${what}; that belongs in the CLI`,
        );
      if (/goproxy_action(_cli)? ci /.test(script)) cliCalls++;
    }
    assert.ok(bootstraps > 0, `${t.file} finds the CLI through GOPROXY_ACTION_BOOTSTRAP`);
    assert.ok(cliCalls > 0, `${t.file} calls the CLI's ci steps`);
  });
}

test('the bootstrap that finds the CLI is the same text in every template', () => {
  const texts = new Set<string>();
  for (const t of templates) {
    for (const { where, script } of shellScripts(renderWithDefaults(t, requiredSamples)))
      if (where.endsWith('.variables.GOPROXY_ACTION_BOOTSTRAP')) texts.add(script);
  }
  assert.equal(texts.size, 1, [...texts].join('\n-----\n'));
});

test('a CLI that cannot be fetched fails the job with one line naming the cli input', async () => {
  const goproxy = templates.find((t) => t.file === 'goproxy.yml')!;
  const bootstrap = shellScripts(renderWithDefaults(goproxy)).find((s) =>
    s.where.endsWith('.variables.GOPROXY_ACTION_BOOTSTRAP'),
  )!.script;
  // npx that cannot fetch the package (no such release, no registry): noisy, failing.
  const bin = mkdtempSync(join(tmpdir(), 'goproxy-action-fake-npx-'));
  try {
    writeFileSync(
      join(bin, 'npx'),
      '#!/bin/sh\necho "npm error 404 Not Found - GET goproxy-action"\nexit 1\n',
      { mode: 0o755 },
    );
    symlinkSync(process.execPath, join(bin, 'node'));
    const result = await execFileAsync(
      'dash',
      ['-ec', `${bootstrap}\ngoproxy_action ci start\necho unreachable`],
      {
        env: { PATH: `${bin}:/usr/bin:/bin`, GOPROXY_ACTION_VERSION: '1.2.3', GOPROXY_ACTION_CLI: '' },
      },
    ).then(
      () => assert.fail('the bootstrap must fail'),
      (err: { stdout: string; stderr: string }) => err,
    );
    const lines = result.stderr.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, -1), ['goproxy: goproxy-action CLI: npx --yes goproxy-action@1.2.3']);
    assert.match(
      lines.at(-1)!,
      /^goproxy: could not fetch or run the goproxy-action CLI \(npx --yes goproxy-action@1\.2\.3\); set the component's 'cli' input/,
    );
    assert.doesNotMatch(result.stdout + result.stderr, /npm error|unreachable/);
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});

// Cases taken from the documented behaviour of golang.org/x/mod (module and semver package
// docs and tests). The differential tests against the real x/mod live in *.oracle.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkModulePath,
  checkPathMajor,
  escapePath,
  escapeVersion,
  ModulePathError,
  splitPathVersion,
  unescapePath,
  unescapeVersion,
} from '../../../src/gomod/module-path.ts';
import {
  canonicalVersion,
  compareVersions,
  isPseudoVersion,
  isValidVersion,
  pseudoVersionBase,
  pseudoVersionTime,
  semverCanonical,
  sortVersions,
} from '../../../src/gomod/version.ts';

test('case-encoding of paths and versions', () => {
  assert.equal(escapePath('github.com/Azure/azure-sdk-for-go'), 'github.com/!azure/azure-sdk-for-go');
  assert.equal(unescapePath('github.com/!burnt!sushi/toml'), 'github.com/BurntSushi/toml');
  assert.equal(escapeVersion('v1.0.0-RC1'), 'v1.0.0-!r!c1');
  assert.equal(unescapeVersion('v1.0.0-!r!c1'), 'v1.0.0-RC1');
  assert.throws(() => unescapePath('github.com/Azure/x'), ModulePathError);
  assert.throws(() => unescapePath('github.com/!'), /invalid escaped module path/);
  assert.throws(() => unescapePath('github.com/!1x'), ModulePathError);
  assert.throws(() => escapeVersion('v1.0.0!'), /disallowed version string/);
  assert.throws(() => escapePath('example.com/a//b'), /double slash/);
});

test('module path rules', () => {
  checkModulePath('example.com/m/v2');
  checkModulePath('gopkg.in/yaml.v3');
  assert.throws(() => checkModulePath('example/m'), /missing dot in first path element/);
  assert.throws(() => checkModulePath('Example.com/m'), /invalid char 'E' in first path element/);
  assert.throws(() => checkModulePath('example.com/m/v1'), /invalid version/);
  assert.throws(() => checkModulePath('example.com/.hidden'), /leading dot/);
  assert.throws(() => checkModulePath('example.com/con'), /disallowed as path element component on Windows/);
  assert.throws(() => checkModulePath('example.com/PROGRA~1'), /trailing tilde and digits/);
  assert.deepEqual(splitPathVersion('example.com/m/v2'), { prefix: 'example.com/m', pathMajor: '/v2' });
  assert.deepEqual(splitPathVersion('gopkg.in/yaml.v2-unstable'), {
    prefix: 'gopkg.in/yaml',
    pathMajor: '.v2-unstable',
  });
  assert.deepEqual(splitPathVersion('example.com/m'), { prefix: 'example.com/m', pathMajor: '' });
  assert.equal(splitPathVersion('example.com/m/v0'), null);
  checkPathMajor('v2.0.0+incompatible', '');
  checkPathMajor('v0.0.0-20200101000000-abcdefabcdef', '.v1');
  assert.throws(() => checkPathMajor('v2.0.0', ''), /should be v0 or v1, not v2/);
  assert.throws(() => checkPathMajor('v1.0.0', '/v2'), /should be v2, not v1/);
});

test('versions', () => {
  assert.ok(isValidVersion('v1'));
  assert.ok(isValidVersion('v1.2'));
  assert.ok(!isValidVersion('1.2.3'));
  assert.ok(!isValidVersion('v1.02.0'));
  assert.ok(!isValidVersion('v1.2.3-01'));
  assert.equal(semverCanonical('v1.2'), 'v1.2.0');
  assert.equal(semverCanonical('v2.0.0+incompatible'), 'v2.0.0');
  assert.equal(canonicalVersion('v2.0.0+incompatible'), 'v2.0.0+incompatible');
  assert.equal(canonicalVersion('v1.2.3+build.5'), 'v1.2.3');
  assert.equal(canonicalVersion('bad'), '');
  assert.equal(compareVersions('v1.0.0-alpha', 'v1.0.0-alpha.1'), -1);
  assert.equal(compareVersions('v1.0.0-alpha.beta', 'v1.0.0-beta'), -1);
  assert.equal(compareVersions('v1.0.0-2', 'v1.0.0-11'), -1);
  assert.equal(compareVersions('v1.0.0-rc.1', 'v1.0.0'), -1);
  assert.equal(compareVersions('junk', 'v0.0.0'), -1);
  assert.equal(compareVersions('junk', 'other'), 0);
  assert.deepEqual(sortVersions(['v1.10.0', 'v1.2.0', 'v1.2.0-pre', 'x']), [
    'x',
    'v1.2.0-pre',
    'v1.2.0',
    'v1.10.0',
  ]);
});

test('pseudo-versions', () => {
  assert.ok(isPseudoVersion('v0.0.0-20191109021931-daa7c04131f5'));
  assert.ok(isPseudoVersion('v1.2.4-0.20191109021931-daa7c04131f5'));
  assert.ok(isPseudoVersion('v1.2.3-pre.0.20191109021931-daa7c04131f5+incompatible'));
  assert.ok(!isPseudoVersion('v1.2.3-pre'));
  assert.equal(
    pseudoVersionTime('v0.0.0-20191109021931-daa7c04131f5')?.toISOString(),
    '2019-11-09T02:19:31.000Z',
  );
  assert.equal(pseudoVersionTime('v0.0.0-20191332021931-daa7c04131f5'), null);
  assert.equal(pseudoVersionBase('v0.0.0-20191109021931-daa7c04131f5'), '');
  assert.equal(pseudoVersionBase('v1.2.4-0.20191109021931-daa7c04131f5'), 'v1.2.3');
  assert.equal(pseudoVersionBase('v1.2.3-pre.0.20191109021931-daa7c04131f5'), 'v1.2.3-pre');
  assert.equal(pseudoVersionBase('v1.0.0-0.20191109021931-daa7c04131f5'), null);
});

/** The `handler` export check (pure), and the package name an unresolved import asks for. */
import { describe, expect, it } from 'vitest';
import { packageNameOf } from '../../src/bundle/esbuild.js';
import { checkHandlerExport } from '../../src/bundle/handler-export.js';

describe('checkHandlerExport', () => {
  it('ES modules: exactly the exports esbuild lists', () => {
    expect(checkHandlerExport(['handler'], 'esm', '', 'h.ts')).toEqual({ ok: true });
    expect(checkHandlerExport(['handle', 'VERSION'], 'esm', '', 'h.ts')).toMatchObject({ ok: false, problem: expect.stringContaining('it exports `handle`, `VERSION`') });
    expect(checkHandlerExport([], undefined, '', 'h.js')).toMatchObject({ ok: false, problem: expect.stringContaining('it exports nothing') });
    expect(checkHandlerExport(['default'], 'esm', '', 'h.ts')).toMatchObject({ ok: false, problem: expect.stringContaining('has a default export') });
  });

  it.each([
    'exports.handler = async () => 1;',
    'module.exports.handler = async () => 1;',
    'exports["handler"] = async () => 1;',
    'Object.defineProperty(exports, "handler", { value: async () => 1 });',
    'const handler = async () => 1;\nmodule.exports = { handler };',
    'module.exports = { handler: async () => 1 };',
    "module.exports = require('./impl');",
    'class Handlers {}\nmodule.exports = Handlers;',
  ])('CommonJS: accepts %j', (code) => {
    expect(checkHandlerExport(['default'], 'cjs', code, 'h.js')).toEqual({ ok: true });
  });

  it.each(['exports.handle = async () => 1;', 'module.exports = { handle: async () => 1 };', 'module.exports.handlerFactory = () => 1;'])('CommonJS: refuses %j', (code) => {
    expect(checkHandlerExport(['default'], 'cjs', code, 'h.js')).toMatchObject({ ok: false, problem: 'h.js (CommonJS) does not export `handler`; Lambda calls index.handler.' });
  });
});

describe('packageNameOf', () => {
  it('is what npm install needs: the package, without a subpath', () => {
    expect(packageNameOf('@humansecurity/aws-lambda-edge-enforcer')).toBe('@humansecurity/aws-lambda-edge-enforcer');
    expect(packageNameOf('@acme/edge-sdk/enforce')).toBe('@acme/edge-sdk');
    expect(packageNameOf('lodash/get')).toBe('lodash');
    expect(packageNameOf('uuid')).toBe('uuid');
  });
});

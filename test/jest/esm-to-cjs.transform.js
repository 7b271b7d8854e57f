/**
 * Jest transformer for ESM-only packages in node_modules (NestJS 12 and friends).
 *
 * Node runs them from our CommonJS build through require(esm) (Node >= 20.19), but Jest's own
 * module loader on Node < 24.9 cannot. This transformer turns their ESM into CommonJS with the
 * TypeScript compiler and replaces `import.meta.url` with the file's own URL, which is what it
 * means in ESM. Only packages listed in jest.config.js `transformIgnorePatterns` go through it.
 */
const crypto = require('node:crypto');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  allowJs: true,
  esModuleInterop: true,
  inlineSourceMap: true,
  inlineSources: true,
};
const VERSION = '2';

module.exports = {
  getCacheKey(source, filename) {
    return crypto.createHash('sha256').update(VERSION).update(ts.version).update(filename).update(source).digest('hex');
  },
  process(source, filename) {
    const patched = source
      // `const require = createRequire(import.meta.url)`: CommonJS already has `require`.
      .replace(/^\s*const require = (?:[\w$]+\.)?createRequire\(import\.meta\.url\);?[ \t]*$/m, '')
      .replace(/\bimport\.meta\.url\b/g, "require('node:url').pathToFileURL(__filename).href");
    const out = ts.transpileModule(patched, { fileName: filename, compilerOptions });
    return { code: out.outputText };
  },
};

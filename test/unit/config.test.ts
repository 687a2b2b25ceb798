import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, EnvSchema, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      DATA_DIR: './data',
      KNOWLEDGE_DIR: './knowledge',
      SEARCH_MAX_K: 50,
      QDRANT_COLLECTION: 'procedures',
      TRUST_PROXY: false,
      DOCS_ENABLED: true,
    });
    expect(c.EMBEDDINGS_BASE_URL).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('rejects a bad PORT with an error naming PORT', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    try {
      loadConfig({ PORT: '-1', SEARCH_MAX_K: '0' });
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigError).issues.map((i) => i.variable).sort()).toEqual(['PORT', 'SEARCH_MAX_K']);
    }
  });

  it('parses booleans as strings, so "false" is false (not JS truthiness)', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ DOCS_ENABLED: '0' }).DOCS_ENABLED).toBe(false);
    expect(loadConfig({ DOCS_ENABLED: 'yes' }).DOCS_ENABLED).toBe(true);
    expect(() => loadConfig({ TRUST_PROXY: 'maybe' })).toThrow(/TRUST_PROXY/);
  });

  it('treats empty values as unset and validates URLs', () => {
    const c = loadConfig({ EMBEDDINGS_BASE_URL: '', PORT: '  ' });
    expect(c.EMBEDDINGS_BASE_URL).toBeUndefined();
    expect(c.PORT).toBe(3000);
    expect(loadConfig({ EMBEDDINGS_BASE_URL: 'http://127.0.0.1:8080/v1' }).EMBEDDINGS_BASE_URL).toBe(
      'http://127.0.0.1:8080/v1',
    );
    expect(() => loadConfig({ QDRANT_URL: 'not a url' })).toThrow(/QDRANT_URL/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('does not echo secret values in the error', () => {
    try {
      loadConfig({ EMBEDDINGS_API_KEY: 'sk-secret', SEARCH_MAX_K: 'lots' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('sk-secret');
      expect((err as Error).message).toContain('SEARCH_MAX_K');
    }
  });
});

describe('configuration documentation', () => {
  const variables = Object.keys(EnvSchema.shape);

  it('.env.example lists every variable and is itself a valid configuration', () => {
    const example = parseEnv(readFileSync('.env.example', 'utf8'));
    expect(Object.keys(example).sort()).toEqual([...variables].sort());
    expect(() => loadConfig(example)).not.toThrow();
  });

  it('the README configuration table lists every variable', () => {
    const readme = readFileSync('README.md', 'utf8');
    const missing = variables.filter((v) => !readme.includes(`| \`${v}\` |`));
    expect(missing).toEqual([]);
  });
});

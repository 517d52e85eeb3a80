// A local inlang plugin for flat JSON message files: `{ "key": "Text with {param}" }`.
//
// Why it exists: the usual plugin (@inlang/plugin-message-format) is loaded from a CDN, and the
// build and test machines have no network apart from the npm registry. This file implements the
// same simple file format so that `paraglide-js compile` and the Vite plugin work offline.
// The SDK imports it through a data: URL, so it must stay a single module without imports.
//
// Supported: plain text and `{name}` placeholders (names are identifiers). Not supported: plural
// or select variants (add the official plugin as a devDependency if those are ever needed).

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function parsePattern(text) {
  const pattern = [];
  const variableNames = new Set();
  let lastIndex = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match.index > lastIndex) pattern.push({ type: 'text', value: text.slice(lastIndex, match.index) });
    pattern.push({ type: 'expression', arg: { type: 'variable-reference', name: match[1] } });
    variableNames.add(match[1]);
    lastIndex = match.index + match[0].length;
  }
  if (lastIndex < text.length) pattern.push({ type: 'text', value: text.slice(lastIndex) });
  return { pattern, variableNames };
}

function serializePattern(pattern) {
  return pattern
    .map((part) => {
      if (part.type === 'text') return part.value;
      if (part.type === 'expression' && part.arg.type === 'variable-reference') return `{${part.arg.name}}`;
      if (part.type === 'expression' && part.arg.type === 'literal') return part.arg.value;
      throw new Error(`Unsupported pattern part: ${JSON.stringify(part)}`);
    })
    .join('');
}

function pluginSettings(settings) {
  const own = settings['plugin.suoja.messageFormat'];
  if (!own || typeof own.pathPattern !== 'string' || !own.pathPattern.includes('{locale}')) {
    throw new Error('plugin.suoja.messageFormat.pathPattern must be a string containing {locale}');
  }
  return own;
}

export default {
  key: 'plugin.suoja.messageFormat',

  toBeImportedFiles: ({ settings }) => {
    const { pathPattern } = pluginSettings(settings);
    return settings.locales.map((locale) => ({ locale, path: pathPattern.replace('{locale}', locale) }));
  },

  importFiles: ({ files }) => {
    const bundles = new Map();
    const messages = [];
    const variants = [];
    for (const file of files) {
      const json = JSON.parse(new TextDecoder().decode(file.content));
      for (const [key, value] of Object.entries(json)) {
        if (key === '$schema') continue;
        if (typeof value !== 'string') {
          throw new Error(`messages/${file.locale}.json: "${key}" must be a string`);
        }
        const { pattern, variableNames } = parsePattern(value);
        const declared = bundles.get(key) ?? new Set();
        for (const name of variableNames) declared.add(name);
        bundles.set(key, declared);
        messages.push({ bundleId: key, locale: file.locale, selectors: [] });
        variants.push({ messageBundleId: key, messageLocale: file.locale, matches: [], pattern });
      }
    }
    return {
      bundles: [...bundles].map(([id, names]) => ({
        id,
        declarations: [...names].map((name) => ({ type: 'input-variable', name }))
      })),
      messages,
      variants
    };
  },

  exportFiles: ({ messages, variants, settings }) => {
    const { pathPattern } = pluginSettings(settings);
    const byLocale = new Map();
    for (const message of messages) {
      const variant = variants.find((candidate) => candidate.messageId === message.id);
      if (!variant) continue;
      const entries = byLocale.get(message.locale) ?? {};
      entries[message.bundleId] = serializePattern(variant.pattern);
      byLocale.set(message.locale, entries);
    }
    return [...byLocale].map(([locale, entries]) => ({
      locale,
      name: pathPattern.replace('{locale}', locale).split('/').pop(),
      content: new TextEncoder().encode(
        JSON.stringify({ $schema: 'https://inlang.com/schema/inlang-message-format', ...entries }, null, 2) + '\n'
      )
    }));
  }
};

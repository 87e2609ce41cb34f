// Finds the path of the OpenAPI document a request path falls under: the 405 answer (api/methods.ts)
// and the response validator of the tests both use it. Literal segments win over parameters
// (`/v1/push-lists/inbox` before `/v1/push-lists/{id}`).

export interface PathMatch {
  /** The path template as the document spells it. */
  template: string;
  /** Methods the path item lists, upper case. */
  methods: string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

export function pathMatcher(paths: Record<string, Record<string, unknown>>): (path: string) => PathMatch | undefined {
  const compiled = Object.entries(paths)
    .map(([template, item]) => {
      const params = (template.match(/\{[^}]+\}/g) ?? []).length;
      const source = template
        .split(/(\{[^}]+\})/)
        .map((part) => (part.startsWith('{') ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('');
      return {
        template,
        params,
        re: new RegExp(`^${source}/?$`),
        methods: Object.keys(item)
          .filter((m) => METHODS.includes(m))
          .map((m) => m.toUpperCase()),
      };
    })
    .sort((a, b) => a.params - b.params);
  return (path) => {
    const hit = compiled.find((c) => c.re.test(path));
    return hit && { template: hit.template, methods: hit.methods };
  };
}

// The demo's probe: GETs the task API through the PrivateLink endpoint, from inside the
// consumer VPC. Invoke it with {"path": "/api/task/2"} for one path (it returns the API's
// JSON body, and fails on a non-2xx status), or with {} for both demo paths.
exports.handler = async (event) => {
  const base = process.env.API_URL;
  const get = async (path) => {
    const response = await fetch(base + path, { signal: AbortSignal.timeout(5000) });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`GET ${path}: HTTP ${response.status}: ${text}`);
    }
    return JSON.parse(text);
  };
  if (event && event.path) {
    return get(event.path);
  }
  return { '/api/tasks': await get('/api/tasks'), '/api/task/2': await get('/api/task/2') };
};

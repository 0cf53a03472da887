/**
 * The layout of src/: no module imports itself through others (type imports included), and each
 * construct keeps its synth-time checks in its own validation module.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', 'src');

/** Every module of src/ but the barrel files (they re-export; cycles through them are not design cycles). */
function modules(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      return modules(full);
    }
    return name.endsWith('.ts') && name !== 'index.ts' ? [full] : [];
  });
}

/** The src modules `file` imports (values and types alike). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']*)'/gms)].map(m => m[1]);
  return specifiers.map(spec => {
    const base = path.resolve(path.dirname(file), spec);
    return [`${base}.ts`, path.join(base, 'index.ts')].find(existsSync)!;
  });
}

/** The import cycles of a module graph (depth-first search), each as the modules on it. */
function importCycles(files: string[], imports: (file: string) => string[]): string[][] {
  const done = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string, trail: string[]) => {
    if (trail.includes(file)) {
      cycles.push([...trail.slice(trail.indexOf(file)), file].map(f => path.relative(SRC, f)));
      return;
    }
    if (done.has(file)) {
      return;
    }
    for (const next of imports(file)) {
      visit(next, [...trail, file]);
    }
    done.add(file);
  };
  files.forEach(f => visit(f, []));
  return cycles;
}

describe('structure of src/', () => {
  test('no import cycles, type imports included', () => {
    expect(importCycles(modules(SRC), importsOf)).toEqual([]);
  });

  test('the check finds a cycle when there is one', () => {
    // GIVEN the real modules, WHEN the service options imported the API module (as they once did)
    const options = path.join(SRC, 'provider', 'api-service-options.ts');
    const api = path.join(SRC, 'provider', 'ecs-privatelink-api.ts');
    const imports = (file: string) => file === options ? [...importsOf(file), api] : importsOf(file);
    // THEN
    expect(importCycles(modules(SRC), imports)).toContainEqual(expect.arrayContaining(['provider/api-service-options.ts', 'provider/ecs-privatelink-api.ts']));
  });

  test.each(['provider', 'consumer'])('%s keeps its synth-time checks in its own validation module', (dir) => {
    expect(existsSync(path.join(SRC, dir, 'validation.ts'))).toBe(true);
  });
});

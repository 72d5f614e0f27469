// The file-system edge of the keepalived.conf parser: reads files and expands include globs the
// way keepalived's glob(GLOB_MARK | GLOB_BRACE) + check_glob_file() do (sorted; directories and
// executable files skipped).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { expandBraces, globRegExp, type ConfigReader } from './keepalived/source.js';

export const fsReader: ConfigReader = {
  read(path) {
    try {
      return { ok: true, text: readFileSync(path, 'utf8') };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { ok: false, error: code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String((e as Error).message) };
    }
  },
  glob(pattern) {
    const out: string[] = [];
    for (const p of expandBraces(pattern)) {
      for (const f of globOne(p).sort()) if (!out.includes(f) && isPlainFile(f)) out.push(f);
    }
    return out;
  },
};

function isPlainFile(path: string): boolean {
  try {
    const s = statSync(path);
    return s.isFile() && (s.mode & 0o111) === 0;
  } catch {
    return false;
  }
}

function globOne(pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let bases = [absolute ? '/' : '.'];
  for (const [i, part] of parts.entries()) {
    if (i === 0 && absolute) continue;
    const next: string[] = [];
    for (const base of bases) {
      const join = (name: string): string => (base === '/' ? `/${name}` : base === '.' && !absolute ? name : `${base}/${name}`);
      if (!/[*?[]/.test(part)) {
        next.push(join(part));
        continue;
      }
      const re = globRegExp(part);
      let names: string[] = [];
      try {
        names = readdirSync(base === '' ? '.' : base);
      } catch {
        continue;
      }
      for (const n of names) if ((!n.startsWith('.') || part.startsWith('.')) && re.test(n)) next.push(join(n));
    }
    bases = next;
  }
  return bases.filter((b) => {
    try {
      statSync(b);
      return true;
    } catch {
      return false;
    }
  });
}

/** The deterministic zip writer: same files → same bytes, whatever the time, zone or input order. */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { codeSha256, deterministicZip } from '../../src/bundle/zip.js';
import { readZip, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const SCRIPT = `"use strict";var e=Object.defineProperty;module.exports.handler=async()=>({status:"200",body:${JSON.stringify('x'.repeat(4000))}});\n`;
const hasPython = spawnSync('python3', ['--version']).status === 0;
const hasUnzip = spawnSync('unzip', ['-v']).status === 0;

/** DOS date word of 1980-01-01 (year 0 since 1980, month 1, day 1) and time word of 00:00:00. */
const DOS_1980_01_01 = (0 << 9) | (1 << 5) | 1;

describe('deterministicZip', () => {
  it('gives identical bytes for identical files, in any input order', async () => {
    const files = [
      { name: 'index.js', data: SCRIPT },
      { name: 'lib/a.js', data: Buffer.from('exports.a = 1;\n') },
    ];
    const first = await deterministicZip(files);
    vi.useFakeTimers({ toFake: ['Date'] });
    let second: Buffer;
    try {
      vi.setSystemTime(new Date('2031-07-15T13:37:42Z')); // another day, another time of day
      second = await deterministicZip([...files].reverse());
    } finally {
      vi.useRealTimers();
    }
    expect(second.equals(first)).toBe(true);
    expect(readZip(first).entries.map((e) => e.name)).toEqual(['index.js', 'lib/a.js']);
    const changed = await deterministicZip([{ name: 'index.js', data: SCRIPT.replace('200', '201') }, files[1]!]);
    expect(changed.equals(first)).toBe(false);
  });

  it('writes a valid zip: deflated, CRC-checked, mode 0644 made on Unix, 1980-01-01 00:00, no extra fields, no comments', async () => {
    const zip = await deterministicZip([{ name: 'index.js', data: SCRIPT }]);
    const { entries, comment } = readZip(zip); // inflates and checks each CRC
    expect(comment).toBe('');
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry!.name).toBe('index.js');
    expect(entry!.data.toString()).toBe(SCRIPT);
    expect(entry!.method).toBe(8);
    expect(entry!.unixMode).toBe(0o100644);
    expect(entry!.versionMadeBy >> 8).toBe(3); // Unix: unzip restores the mode
    expect(entry!.dosDate).toBe(DOS_1980_01_01);
    expect(entry!.dosTime).toBe(0);
    expect(entry!.centralExtraLength).toBe(0);
    expect(entry!.localExtraLength).toBe(0);
    expect(entry!.commentLength).toBe(0);
    expect(entry!.compressedSize).toBeLessThan(entry!.size);
  });

  it.skipIf(!hasPython)("is read by Python's zipfile with the same name, mode, date and content", async () => {
    const zip = await deterministicZip([{ name: 'index.js', data: SCRIPT }]);
    const file = join(tempDir(), 'bundle.zip');
    writeFileSync(file, zip);
    const script = [
      'import json, sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'print(json.dumps([{"name": i.filename, "mode": oct(i.external_attr >> 16), "date": list(i.date_time), "extra": len(i.extra), "create_system": i.create_system, "sha": __import__("hashlib").sha256(z.read(i)).hexdigest()} for i in z.infolist()]))',
    ].join('\n');
    const listed = JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as unknown;
    expect(listed).toEqual([
      { name: 'index.js', mode: '0o100644', date: [1980, 1, 1, 0, 0, 0], extra: 0, create_system: 3, sha: createHash('sha256').update(SCRIPT).digest('hex') },
    ]);
  });

  it.skipIf(!hasUnzip)('is listed by unzip -Z with -rw-r--r-- permissions', async () => {
    const file = join(tempDir(), 'bundle.zip');
    writeFileSync(file, await deterministicZip([{ name: 'index.js', data: SCRIPT }]));
    const listing = execFileSync('unzip', ['-Z', file], { encoding: 'utf8' });
    expect(listing).toMatch(/^-rw-r--r--.* index\.js$/m);
    expect(execFileSync('unzip', ['-tq', file], { encoding: 'utf8' })).toMatch(/No errors detected/);
  });

  it('does not depend on the TZ environment variable', async () => {
    const previous = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      expect(new Date(0).getTimezoneOffset()).toBe(0);
      const utc = await deterministicZip([{ name: 'index.js', data: SCRIPT }]);
      process.env.TZ = 'Asia/Kolkata';
      expect(new Date(0).getTimezoneOffset()).toBe(-330); // the change took effect in this process
      const kolkata = await deterministicZip([{ name: 'index.js', data: SCRIPT }]);
      process.env.TZ = 'America/Los_Angeles';
      const losAngeles = await deterministicZip([{ name: 'index.js', data: SCRIPT }]);
      expect(kolkata.equals(utc)).toBe(true);
      expect(losAngeles.equals(utc)).toBe(true);
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it('refuses duplicate and malformed entry names', async () => {
    await expect(deterministicZip([{ name: 'index.js', data: 'a' }, { name: 'index.js', data: 'b' }])).rejects.toThrow(/duplicate zip entry: index\.js/);
    await expect(deterministicZip([{ name: '/etc/passwd', data: 'a' }])).rejects.toThrow(/invalid zip entry name/);
    await expect(deterministicZip([{ name: 'dir\\index.js', data: 'a' }])).rejects.toThrow(/invalid zip entry name/);
  });
});

describe('codeSha256', () => {
  it("is Lambda's CodeSha256: base64 of the zip's SHA-256", async () => {
    const zip = await deterministicZip([{ name: 'index.js', data: SCRIPT }]);
    expect(codeSha256(zip)).toBe(createHash('sha256').update(zip).digest('base64'));
    expect(codeSha256(zip)).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});

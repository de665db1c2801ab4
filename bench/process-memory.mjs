// The memory of a running process as the footprint benchmark and the footprint guard read it,
// from /proc (Linux):
//
//   node bench/process-memory.mjs <pid>     prints "<rss> <peak rss> <private anonymous>" in KiB
//
// RSS counts every resident page, including the executable's pages that every replica of the
// same image shares through the page cache. Private anonymous memory is what each replica adds
// on its own: the Private_Dirty pages of anonymous mappings (the GC heap, thread stacks, native
// allocations), which is what a node's memory fills up with as canaries are added.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** A mapping's header line: address range, permissions, offset, device, inode, optional path. */
const mappingHeader = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/;

/**
 * Sums Private_Dirty over the anonymous mappings of an smaps text: those without a path, and the
 * kernel's names for anonymous memory ([heap], [stack], [anon:...]); file mappings, [vdso] and
 * [vvar] are left out.
 * @param {string} smaps the text of /proc/<pid>/smaps
 * @returns {number} KiB
 */
export function privateAnonymousKiB(smaps) {
  let anonymous = false;
  let total = 0;
  for (const line of smaps.split('\n')) {
    const header = mappingHeader.exec(line);
    if (header) {
      const path = header[1];
      anonymous = path === '' || path === '[heap]' || path.startsWith('[stack') || path.startsWith('[anon');
      continue;
    }
    if (anonymous && line.startsWith('Private_Dirty:')) total += Number.parseInt(line.slice('Private_Dirty:'.length), 10);
  }
  return total;
}

/**
 * @param {number} pid
 * @returns {{ rssKiB: number, peakRssKiB: number, privateAnonymousKiB: number }}
 */
export function processMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  /** @param {string} key */
  const statusKiB = (key) => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${key}`);
    return Number(match[1]);
  };
  return {
    rssKiB: statusKiB('VmRSS'),
    peakRssKiB: statusKiB('VmHWM'),
    privateAnonymousKiB: privateAnonymousKiB(readFileSync(`/proc/${pid}/smaps`, 'utf8')),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const pid = Number(process.argv[2]);
  if (!Number.isInteger(pid) || pid <= 0) {
    console.error('usage: process-memory.mjs <pid>');
    process.exit(2);
  }
  const memory = processMemory(pid);
  console.log(`${memory.rssKiB} ${memory.peakRssKiB} ${memory.privateAnonymousKiB}`);
}

/**
 * The embedded database can be opened by one process at a time. A lock file holding the owner's
 * process id makes a second process stop with a clear message instead of corrupting the data.
 */
import fs from 'node:fs';
import path from 'node:path';

export class DatabaseBusyError extends Error {}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock on a data folder, returning the function that releases it. */
export function acquireDataDirLock(dataDir: string): () => void {
  const file = path.join(dataDir, 'linkwell.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        fs.rmSync(file, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
        throw new DatabaseBusyError(
          `The embedded database in ${dataDir} is in use by another Linkwell process (pid ${owner}). ` +
            'The embedded database allows one process at a time: stop that process first, ' +
            'or set DATABASE_URL to use PostgreSQL, which any number of processes can share.',
        );
      }
      // The owner has gone away without cleaning up: the lock is stale.
      fs.rmSync(file, { force: true });
    }
  }
  throw new DatabaseBusyError(`Could not lock the embedded database in ${dataDir}.`);
}

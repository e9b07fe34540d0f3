import { execSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScanRequest {
  repositoryUrl: string;
  branch: string;
}

export function checkoutRepository(request: ScanRequest): string {
  const workdir = mkdtempSync(join(tmpdir(), 'scan-'));
  execSync(`git clone --depth 1 --branch ${request.branch} ${request.repositoryUrl} ${workdir}/src`, { stdio: 'ignore', timeout: 120_000 });
  return join(workdir, 'src');
}

export function describeCheckout(path: string): { path: string; createdAt: string } {
  return { path, createdAt: new Date().toISOString() };
}

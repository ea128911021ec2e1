import { Entity } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { TemplateEntityV1beta3 } from '@backstage/plugin-scaffolder-common';
import {
  ChangelogEntry,
  FileChangeStatus,
  GoldenPathAnswers,
} from '@paved/plugin-upgrades-common';
import {
  BranchState,
  ChangeTarget,
  FileSet,
  ProposedChange,
  ProposedResult,
  ServiceRepository,
  TemplateRenderer,
  TemplateVersion,
  TemplateVersions,
} from '../ports';

/** In-memory stand-ins of the upgrade ports, for the service's unit tests. */

export const files = (entries: Record<string, string>): FileSet =>
  new Map(
    Object.entries(entries).map(([path, text]) => [
      path,
      { content: Buffer.from(text) },
    ]),
  );

/** Released versions: version → files, newest first in `changelog`. */
export class FakeTemplateVersions implements TemplateVersions {
  readonly reads: string[] = [];

  constructor(
    private readonly templates: Record<
      string,
      { changelog: ChangelogEntry[]; files: Record<string, FileSet> }
    >,
  ) {}

  async list(templateRef: string) {
    const template = this.templates[templateRef];
    if (!template) {
      throw new NotFoundError(`There is no template '${templateRef}'`);
    }
    return {
      latest: template.changelog[0].version,
      versions: template.changelog,
    };
  }

  async read(templateRef: string, version: string): Promise<TemplateVersion> {
    this.reads.push(`${templateRef}@${version}`);
    const found = this.templates[templateRef]?.files[version];
    if (!found) {
      throw new NotFoundError(
        `${templateRef} has no released version ${version}`,
      );
    }
    return {
      templateRef,
      version,
      entity: {
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: { name: 'x' },
        spec: { type: 'service', steps: [] },
      } as unknown as TemplateEntityV1beta3,
      files: found,
    };
  }
}

/** Renders by replacing `${{ values.<key> }}` in every file. */
export class FakeRenderer implements TemplateRenderer {
  async render(version: TemplateVersion, values: Record<string, any>) {
    if (values.broken) {
      throw new InputError('Invalid parameters: broken: is not allowed');
    }
    const out: FileSet = new Map();
    for (const [path, file] of version.files) {
      out.set(path, {
        content: Buffer.from(
          file.content
            .toString()
            .replace(/\$\{\{ *values\.(\w+) *\}\}/g, (_, k) =>
              String(values[k] ?? ''),
            ),
        ),
      });
    }
    return out;
  }
}

interface FakeRepo {
  head: string;
  answers?: GoldenPathAnswers;
  /** The default branch's files (what "ours" is). */
  files: FileSet;
  branches: Map<
    string,
    { head: string; conflicted: string[]; merged: boolean }
  >;
}

/**
 * A change target over in-memory repositories: a file is conflicted when the
 * repository's content differs from both base and theirs and base ≠ theirs.
 */
export class FakeChangeTarget implements ChangeTarget {
  readonly kind = 'local' as const;
  readonly repos = new Map<string, FakeRepo>();
  readonly proposals: Array<{ repository: string; change: ProposedChange }> =
    [];
  readonly merges: string[] = [];
  readonly closes: string[] = [];
  /** Makes the next propose() throw once (a crash after the record). */
  failNextPropose?: Error;
  private commits = 0;

  addRepository(name: string, repo: Omit<FakeRepo, 'branches' | 'head'>) {
    this.repos.set(name, { ...repo, head: this.commit(), branches: new Map() });
  }

  private commit() {
    this.commits += 1;
    return this.commits.toString(16).padStart(40, '0');
  }

  private repo(repository: ServiceRepository) {
    const repo = this.repos.get(repository.name);
    if (!repo) {
      throw new NotFoundError(`There is no repository '${repository.name}'`);
    }
    return repo;
  }

  async locate(entity: Entity): Promise<ServiceRepository> {
    const name = entity.metadata.annotations?.['paved.dev/repository'];
    if (!name) {
      throw new InputError(`${entity.metadata.name} names no repository`);
    }
    if (!this.repos.has(name)) {
      throw new NotFoundError(`There is no repository '${name}'`);
    }
    return {
      target: 'local',
      name,
      url: `file:///repos/${name}.git`,
      defaultBranch: 'main',
    };
  }

  async readAnswers(repository: ServiceRepository) {
    const repo = this.repo(repository);
    return { head: repo.head, answers: repo.answers };
  }

  async propose(
    repository: ServiceRepository,
    change: ProposedChange,
  ): Promise<ProposedResult> {
    if (this.failNextPropose) {
      const error = this.failNextPropose;
      this.failNextPropose = undefined;
      throw error;
    }
    const repo = this.repo(repository);
    this.proposals.push({ repository: repository.name, change });
    const result: ProposedResult = {
      baseCommit: repo.head,
      headCommit: '',
      files: [],
      conflicts: [],
    };
    const paths = new Set([...change.base.keys(), ...change.theirs.keys()]);
    for (const path of [...paths].sort()) {
      const base = change.base.get(path)?.content.toString();
      const theirs = change.theirs.get(path)?.content.toString();
      const ours = repo.files.get(path)?.content.toString();
      if (base === theirs) continue;
      if (ours !== base && ours !== theirs) {
        result.files.push({ path, status: 'modified', conflicted: true });
        result.conflicts.push({ path, base, ours, theirs });
      } else if (ours !== theirs) {
        let status: FileChangeStatus = 'modified';
        if (theirs === undefined) status = 'deleted';
        else if (ours === undefined) status = 'added';
        result.files.push({ path, status, conflicted: false });
      }
    }
    const existing = repo.branches.get(change.branch);
    const head = existing?.head ?? this.commit();
    repo.branches.set(change.branch, {
      head,
      conflicted: result.conflicts.map(c => c.path),
      merged: false,
    });
    result.headCommit = head;
    return result;
  }

  async inspect(
    repository: ServiceRepository,
    branch: string,
  ): Promise<BranchState> {
    const found = this.repo(repository).branches.get(branch);
    if (!found) {
      return { known: true, exists: false, conflicted: [], merged: false };
    }
    return {
      known: true,
      exists: true,
      head: found.head,
      conflicted: found.conflicted,
      merged: found.merged,
    };
  }

  async merge(repository: ServiceRepository, branch: string) {
    const repo = this.repo(repository);
    this.merges.push(`${repository.name}:${branch}`);
    const found = repo.branches.get(branch);
    if (!found) throw new NotFoundError(`no branch ${branch}`);
    repo.head = this.commit();
    found.merged = true;
    return { commit: repo.head };
  }

  async close(repository: ServiceRepository, branch: string) {
    this.closes.push(`${repository.name}:${branch}`);
    this.repo(repository).branches.delete(branch);
  }

  async diff(repository: ServiceRepository, branch: string) {
    const found = this.repo(repository).branches.get(branch);
    if (!found) throw new NotFoundError(`no branch ${branch}`);
    const proposal = [...this.proposals]
      .reverse()
      .find(
        p => p.repository === repository.name && p.change.branch === branch,
      );
    const paths = proposal
      ? [...new Set([...proposal.change.theirs.keys()])].sort()
      : [];
    return {
      files: paths.map(path => ({
        path,
        status: 'modified' as const,
        conflicted: found.conflicted.includes(path),
        patch: `--- a/${path}\n+++ b/${path}\n`,
        binary: false,
      })),
    };
  }
}

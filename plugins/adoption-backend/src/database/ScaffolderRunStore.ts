import { Knex } from 'knex';
import { dayOf } from '../days';

/** A finished scaffolder task. */
export interface ScaffolderRun {
  taskId: string;
  templateRef: string;
  outcome: 'completed' | 'failed' | 'cancelled';
  createdAt: Date;
  durationMs?: number;
  createdBy?: string;
  team?: string;
}

/** Finished scaffolder tasks, each stored once by task id. */
export interface ScaffolderRunStore {
  /** Which of these task ids are stored already. */
  known(taskIds: string[]): Promise<Set<string>>;
  /** Stores runs not stored yet; returns how many were new. */
  record(runs: ScaffolderRun[]): Promise<number>;
}

export class DatabaseScaffolderRunStore implements ScaffolderRunStore {
  static create(options: { knex: Knex }) {
    return new DatabaseScaffolderRunStore(options.knex);
  }

  private constructor(private readonly knex: Knex) {}

  async known(taskIds: string[]) {
    if (taskIds.length === 0) return new Set<string>();
    const rows = await this.knex('adoption_scaffolder_runs')
      .select('task_id')
      .whereIn('task_id', taskIds);
    return new Set(rows.map(row => String(row.task_id)));
  }

  async record(runs: ScaffolderRun[]) {
    let added = 0;
    for (const run of runs) {
      const inserted = await this.knex('adoption_scaffolder_runs')
        .insert({
          task_id: run.taskId,
          template_ref: run.templateRef,
          outcome: run.outcome,
          created_at: run.createdAt,
          day: dayOf(run.createdAt),
          duration_ms: run.durationMs ?? null,
          created_by: run.createdBy ?? null,
          team: run.team ?? null,
        })
        .onConflict('task_id')
        .ignore()
        .returning('task_id');
      added += inserted.length;
    }
    return added;
  }
}

/**
 * One part of a resource's live status: a titled group of label/value items, a
 * table, and/or a message.
 *
 * @public
 */
export interface ResourceStatusSection {
  title: string;
  items?: Array<{ label: string; value: string | number }>;
  table?: { columns: string[]; rows: Array<Array<string | number>> };
  message?: string;
}

/**
 * What a resource type reports about a ready resource right now, as
 * `GET /requests/{id}/status` serves it. Never secret: every reader sees it.
 *
 * @public
 */
export interface ResourceStatus {
  sections: ResourceStatusSection[];
}

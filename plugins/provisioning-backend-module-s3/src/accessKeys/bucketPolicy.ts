import { BucketAccess } from './AccessKeyManager';

/*
 * A bucket's policy as the portal keeps it: one statement per key, naming that key
 * alone as its principal. Statements of other principals (someone's by hand) are kept
 * as they are.
 */

/** A bucket policy document. */
export interface BucketPolicy {
  Version: string;
  Statement: PolicyStatement[];
}

/** One statement of a bucket policy, as much as the portal reads of it. */
export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Principal: unknown;
  Action: string | string[];
  Resource: string | string[];
  [key: string]: unknown;
}

const READ_ACTIONS = [
  's3:GetObject',
  's3:GetObjectVersion',
  's3:GetObjectTagging',
  's3:ListBucket',
  's3:ListBucketVersions',
  's3:GetBucketLocation',
];

const WRITE_ACTIONS = [
  's3:PutObject',
  's3:PutObjectTagging',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:DeleteObjectTagging',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
  's3:ListBucketMultipartUploads',
];

/**
 * What a key may do: objects and listing, never the bucket's policy, tags, versioning
 * or deletion, which stay the platform's.
 */
export function actionsFor(access: BucketAccess): string[] {
  return access === 'read-write'
    ? [...READ_ACTIONS, ...WRITE_ACTIONS]
    : [...READ_ACTIONS];
}

/** The statement that grants `principal` its access to `bucket`. */
export function grantStatement(
  bucket: string,
  principal: string,
  access: BucketAccess,
): PolicyStatement {
  return {
    Sid: `Paved${
      access === 'read-write' ? 'ReadWrite' : 'ReadOnly'
    }${principal}`,
    Effect: 'Allow',
    Principal: { AWS: [principal] },
    Action: actionsFor(access),
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  };
}

/** The principals a statement names (`{"AWS": ...}`, a string or a list). */
function principalsOf(statement: PolicyStatement): string[] {
  const raw = statement.Principal;
  const value =
    raw && typeof raw === 'object' && 'AWS' in raw
      ? (raw as { AWS: unknown }).AWS
      : raw;
  if (typeof value === 'string') {
    return [value];
  }
  return Array.isArray(value) ? value.map(String) : [];
}

/** Whether the statement is the one that grants `principal` (it names it alone). */
export function isGrantOf(
  statement: PolicyStatement,
  principal: string,
): boolean {
  const principals = principalsOf(statement);
  return principals.length === 1 && principals[0] === principal;
}

/** Whether `policy` holds exactly `wanted` for its principal. */
export function hasGrant(
  policy: BucketPolicy | undefined,
  wanted: PolicyStatement,
): boolean {
  const principal = principalsOf(wanted)[0];
  const found = policy?.Statement.filter(s => isGrantOf(s, principal)) ?? [];
  return (
    found.length === 1 &&
    JSON.stringify(normalized(found[0])) === JSON.stringify(normalized(wanted))
  );
}

/** A statement compared without its Sid or the order of its lists. */
function normalized(statement: PolicyStatement) {
  const list = (value: unknown) =>
    (Array.isArray(value) ? value.map(String) : [String(value)]).sort();
  return {
    Effect: statement.Effect,
    Principal: principalsOf(statement).sort(),
    Action: list(statement.Action),
    Resource: list(statement.Resource),
  };
}

/** `policy` with `statement` as its principal's only grant. */
export function withGrant(
  policy: BucketPolicy | undefined,
  statement: PolicyStatement,
): BucketPolicy {
  const principal = principalsOf(statement)[0];
  return {
    Version: policy?.Version ?? '2012-10-17',
    Statement: [
      ...(policy?.Statement ?? []).filter(s => !isGrantOf(s, principal)),
      statement,
    ],
  };
}

/** `policy` without `principal`'s grant; undefined when nothing is left. */
export function withoutGrant(
  policy: BucketPolicy | undefined,
  principal: string,
): BucketPolicy | undefined {
  const rest = (policy?.Statement ?? []).filter(s => !isGrantOf(s, principal));
  return rest.length > 0
    ? { Version: policy?.Version ?? '2012-10-17', Statement: rest }
    : undefined;
}

/**
 * A policy document read from S3. One that is not JSON is an error: writing over it
 * would drop statements the portal cannot see.
 */
export function parsePolicy(
  text: string | undefined,
): BucketPolicy | undefined {
  if (!text) {
    return undefined;
  }
  const parsed = JSON.parse(text);
  const statement = parsed?.Statement;
  let statements: PolicyStatement[] = [];
  if (Array.isArray(statement)) {
    statements = statement;
  } else if (statement) {
    statements = [statement];
  }
  return {
    Version:
      typeof parsed?.Version === 'string' ? parsed.Version : '2012-10-17',
    Statement: statements,
  };
}

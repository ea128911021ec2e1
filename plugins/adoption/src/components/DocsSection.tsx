import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Docs } from '../api';
import { count } from './format';
import { Empty, Section } from './Section';
import { SimpleTable } from './SimpleTable';

/** The TechDocs read most, and the read docs that were not rebuilt for long. */
export function DocsSection({ data }: { data: Docs }) {
  return (
    <Section
      title="Docs"
      subtitle={`Stale: not rebuilt for ${data.staleAfterDays} days or never built (${data.docsChecked} of ${data.docsTotal} documented components checked).`}
    >
      <h3>Most read docs</h3>
      {data.mostRead.length === 0 ? (
        <Empty>No TechDocs pages read in this range yet.</Empty>
      ) : (
        <SimpleTable
          label="Most read docs"
          rows={data.mostRead}
          rowKey={d => d.entityRef}
          columns={[
            {
              title: 'Entity',
              render: d => <EntityRefLink entityRef={d.entityRef} />,
            },
            { title: 'Views', render: d => count(d.views), numeric: true },
            { title: 'People', render: d => count(d.users), numeric: true },
          ]}
        />
      )}
      <h3>Stale docs</h3>
      {data.stale.length === 0 ? (
        <Empty>No stale docs.</Empty>
      ) : (
        <SimpleTable
          label="Stale docs"
          rows={data.stale}
          rowKey={d => d.entityRef}
          columns={[
            {
              title: 'Entity',
              render: d => <EntityRefLink entityRef={d.entityRef} />,
            },
            {
              title: 'Last built',
              render: d =>
                d.lastBuiltAt ? d.lastBuiltAt.slice(0, 10) : 'never',
            },
            {
              title: 'Age (days)',
              render: d => count(d.ageDays),
              numeric: true,
            },
            { title: 'Views', render: d => count(d.views), numeric: true },
          ]}
        />
      )}
    </Section>
  );
}

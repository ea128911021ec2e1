import { Searches, SearchTerm } from '../api';
import { count, percent } from './format';
import { Empty, Section, Stat } from './Section';
import { Column, SimpleTable } from './SimpleTable';

const columns: Column<SearchTerm>[] = [
  { title: 'Term', render: t => t.term },
  { title: 'Searches', render: t => count(t.searches), numeric: true },
  { title: 'People', render: t => count(t.users), numeric: true },
  { title: 'Without results', render: t => count(t.noResults), numeric: true },
];

/** What people search for, and what they search for and do not find. */
export function SearchesSection({ data }: { data: Searches }) {
  return (
    <Section
      title="Search"
      subtitle={
        data.hidden
          ? `${data.hidden} terms searched by fewer than ${data.minimumGroupSize} people are not shown.`
          : undefined
      }
    >
      <Stat label="Searches" value={count(data.totalSearches)} />
      <Stat
        label="Without results"
        value={count(data.searchesWithoutResults)}
        hint={
          data.totalSearches
            ? `${percent(
                data.searchesWithoutResults / data.totalSearches,
              )} of searches`
            : undefined
        }
      />
      <h3>Top searches</h3>
      {data.topTerms.length === 0 ? (
        <Empty>No searches in this range yet.</Empty>
      ) : (
        <SimpleTable
          label="Top searches"
          rows={data.topTerms}
          rowKey={t => t.term}
          columns={columns}
        />
      )}
      <h3>Searches with no results</h3>
      {data.noResultTerms.length === 0 ? (
        <Empty>Every search found something.</Empty>
      ) : (
        <SimpleTable
          label="Searches with no results"
          rows={data.noResultTerms}
          rowKey={t => t.term}
          columns={columns}
        />
      )}
    </Section>
  );
}

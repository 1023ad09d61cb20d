import { Alert, Badge, Group, Select, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import Papa from 'papaparse';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import { ListTable } from '@/components/list-table';

const SHOWN = 5;

/** The file as Excel saved it: UTF-8 (with or without BOM), else GB18030/GBK; `null` when neither
 * reads it (the server refuses it too). */
export function decodeSheet(bytes: ArrayBuffer): { text: string; encoding: 'UTF-8' | 'GBK' } | null {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    try {
      return { text: new TextDecoder('gb18030', { fatal: true }).decode(bytes), encoding: 'GBK' };
    } catch {
      return null;
    }
  }
}

/** The columns an import may fill, by code, with their headers in both languages (the server's
 * catalogue). */
function useImportColumns() {
  return useQuery({
    queryKey: ['import-columns'],
    staleTime: Infinity,
    queryFn: async () => unwrap(await api.GET('/api/v1/customers/imports/columns')).items,
  });
}

/** The column a header names (by code or by its header in either language), as the server reads it. */
export function columnOf(header: string, known: { code: string; zh: string; en: string }[]): string | null {
  const h = header.trim().replace(/^\uFEFF/, '');
  const lower = h.toLowerCase();
  return known.find((k) => k.code === lower || k.en.toLowerCase() === lower || k.zh === h)?.code ?? null;
}

/** What the import will make of the file before it runs: the encoding, what each column will fill
 * (recognised from its header, or chosen here; a column may be skipped) and the first rows.
 * `onMapping` gets the chosen columns once every column is settled and one is the name, else null. */
export function ImportPreview({ file, onMapping }: { file: File; onMapping: (columns: string[] | null) => void }) {
  const { t, i18n } = useTranslation();
  const known = useImportColumns();
  const preview = useQuery({
    queryKey: ['import-preview', file.name, file.size, file.lastModified],
    queryFn: async () => {
      const decoded = decodeSheet(await file.arrayBuffer());
      if (!decoded) return null;
      const parsed = Papa.parse<string[]>(decoded.text, { preview: SHOWN + 1, skipEmptyLines: true });
      return { encoding: decoded.encoding, rows: parsed.data };
    },
  });
  const unreadable = preview.isSuccess && !preview.data;
  const [header = [], ...rows] = preview.data?.rows ?? [];
  // Chosen by hand, by column position; the rest as the header names them. '' skips a column.
  const [chosen, setChosen] = useState<Record<number, string>>({});
  useEffect(() => setChosen({}), [file]);
  const columns = header.map((h, i) => chosen[i] ?? (known.data ? columnOf(h, known.data) : null));
  const settled = header.length > 0 && columns.every((c) => c !== null);
  const used = columns.filter((c): c is string => !!c);
  const repeated = used.some((c, i) => used.indexOf(c) !== i);
  const ok = settled && !repeated && used.includes('name');
  const mapping = ok ? columns.map((c) => c ?? '').join(',') : null;
  useEffect(() => onMapping(mapping ? mapping.split(',') : null), [mapping, onMapping]);
  if (unreadable) {
    return (
      <Alert color="red" data-testid="import-preview-unreadable">
        {t('import.unreadable')}
      </Alert>
    );
  }
  if (!preview.data || !known.data) return null;
  const zh = i18n.language.startsWith('zh');
  const options = [
    { value: '', label: t('import.skipColumn') },
    ...known.data.map((k) => ({ value: k.code, label: zh ? k.zh : k.en })),
  ];
  return (
    <div data-testid="import-preview">
      <Group mb="xs">
        <Text size="sm" fw={500}>
          {t('import.preview')}
        </Text>
        <Badge variant="light">{preview.data.encoding}</Badge>
        {!ok && (
          <Text size="sm" c="red.8" data-testid="import-preview-problem">
            {t(repeated ? 'import.repeatedColumn' : 'import.previewProblem')}
          </Text>
        )}
      </Group>
      <ListTable striped>
        <Table.Thead>
          <Table.Tr>
            {header.map((h, i) => (
              <Table.Th key={i} miw={140}>
                {h}
                <Select
                  size="xs"
                  mt={4}
                  aria-label={t('import.columnFor', { column: h })}
                  placeholder={t('import.unknownColumn')}
                  data={options}
                  value={columns[i]}
                  onChange={(v) => setChosen((c) => ({ ...c, [i]: v ?? '' }))}
                  error={columns[i] === null}
                  allowDeselect={false}
                  data-testid="import-column"
                />
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            <Table.Tr key={i}>
              {header.map((_, j) => (
                <Table.Td key={j} c={columns[j] === '' ? 'dimmed' : undefined}>
                  {r[j] ?? ''}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
    </div>
  );
}

import { Alert, Badge, Group, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import Papa from 'papaparse';
import { useTranslation } from 'react-i18next';

import { getSession } from '@/lib/session';
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

/** Column headers the server accepts, by code, as its template names them in each language (one
 * catalogue: the server's). */
function useKnownHeaders() {
  return useQuery({
    queryKey: ['import-template-headers'],
    staleTime: Infinity,
    queryFn: async () => {
      const row = async (lang: string) => {
        const res = await fetch('/api/v1/customers/imports/template', {
          headers: { Authorization: `Bearer ${getSession()?.accessToken ?? ''}`, 'Accept-Language': lang },
        });
        return (await res.text())
          .replace(/^\uFEFF/, '')
          .trim()
          .split(',');
      };
      const [en, zh] = await Promise.all([row('en'), row('zh-CN')]);
      // The template lists every column in the same order in both languages; the English
      // label of a code-named column is the code's own reading.
      return en.map((label, i) => ({ en: label, zh: zh[i] ?? label }));
    },
  });
}

/** What the import will make of the file before it runs: the encoding, each column as it will be
 * read (or that it is not known), and the first rows. */
export function ImportPreview({ file, onReady }: { file: File; onReady: (ok: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const known = useKnownHeaders();
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
  const zh = i18n.language.startsWith('zh');
  const columns = header.map((h) => {
    const name = h.trim().toLowerCase();
    const hit = known.data?.find((k) => k.en.toLowerCase() === name || k.zh === h.trim());
    return hit ? (zh ? hit.zh : hit.en) : null;
  });
  // The one column every file needs.
  const name = known.data?.find((k) => k.en === 'name');
  const ok =
    header.length > 0 &&
    columns.every((c) => c !== null) &&
    columns.some((c) => c !== null && (c === name?.zh || c === name?.en));
  useEffect(() => onReady(ok), [ok, onReady]);
  if (unreadable) {
    return (
      <Alert color="red" data-testid="import-preview-unreadable">
        {t('import.unreadable')}
      </Alert>
    );
  }
  if (!preview.data || !known.data) return null;
  return (
    <div data-testid="import-preview">
      <Group mb="xs">
        <Text size="sm" fw={500}>
          {t('import.preview')}
        </Text>
        <Badge variant="light">{preview.data.encoding}</Badge>
        {!ok && (
          <Text size="sm" c="red.8">
            {t('import.previewProblem')}
          </Text>
        )}
      </Group>
      <ListTable striped>
        <Table.Thead>
          <Table.Tr>
            {header.map((h, i) => (
              <Table.Th key={i}>
                {h}
                <Text size="xs" c={columns[i] ? 'dimmed' : 'red.8'}>
                  {columns[i] ? `→ ${columns[i]}` : t('import.unknownColumn')}
                </Text>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            <Table.Tr key={i}>
              {header.map((_, j) => (
                <Table.Td key={j}>{r[j] ?? ''}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
    </div>
  );
}

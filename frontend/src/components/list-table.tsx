import { Table, type TableProps } from '@mantine/core';

import classes from './list-table.module.css';

/** A list as a table that, on a narrow screen, scrolls sideways inside itself with its first
 * (key) column pinned, instead of pushing the whole page wider than the phone. */
export function ListTable({ minWidth = 640, className, ...props }: TableProps & { minWidth?: number }) {
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native">
      <Table className={[classes.pinned, className].filter(Boolean).join(' ')} {...props} />
    </Table.ScrollContainer>
  );
}

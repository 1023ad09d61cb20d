import { Table, type TableProps } from '@mantine/core';

import classes from './list-table.module.css';

/** A list as a table that, on a narrow screen, scrolls sideways inside itself with its first
 * (key) column pinned, instead of pushing the whole page wider than the phone. The scrolling
 * region takes keyboard focus, so that it can be scrolled without a mouse (a table of figures
 * has nothing else to focus). */
export function ListTable({ minWidth = 640, className, ...props }: TableProps & { minWidth?: number }) {
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native" tabIndex={0}>
      <Table className={[classes.pinned, className].filter(Boolean).join(' ')} {...props} />
    </Table.ScrollContainer>
  );
}

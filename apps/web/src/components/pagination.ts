import type { TablePaginationConfig } from 'antd';
import type { Translate } from '../i18n';

/**
 * The paging of a list page whose page and page size live in the address (`?page=&pageSize=`):
 * a new page size starts again from the first page.
 */
export function listPagination(options: {
  page: number;
  pageSize: number;
  total: number | undefined;
  update: (changes: { page?: number; pageSize?: number }) => void;
  t: Translate;
}): TablePaginationConfig {
  const { page, pageSize, total, update, t } = options;
  return {
    current: page,
    pageSize,
    total: total ?? 0,
    pageSizeOptions: [10, 20, 50, 100],
    showSizeChanger: true,
    showTotal: (count) => t('common.total', { total: count }),
    onChange: (nextPage, nextPageSize) =>
      update(
        nextPageSize === pageSize
          ? { page: nextPage }
          : { page: undefined, pageSize: nextPageSize },
      ),
  };
}

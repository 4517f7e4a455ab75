import { PageTitle } from '../../components/PageTitle';
import { StatementView } from './StatementView';

/** 对账单 for those who read statements but not the ledger (a payee's staff, a county). */
export default function StatementPage() {
  return (
    <>
      <PageTitle titleKey="statement.title" descriptionKey="statement.description" />
      <StatementView />
    </>
  );
}

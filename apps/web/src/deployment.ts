/** The prefecture this deployment serves: Shangqiu (商丘市). */
export const SHANGQIU = '411400';

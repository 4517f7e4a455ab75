import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';
import { notFoundError, ProblemRef, standardErrors } from '../../platform/http.js';
import { requestMeta, requireAuth } from '../auth/auth.access.js';
import { ClaimSchema } from '../subsidies/subsidies.routes.js';
import { redeemVoucher } from './vouchers.redeem.js';
import { VoucherSchema } from './vouchers.routes.js';

/** POST /vouchers/{id}/redeem, kept apart from the binding routes of vouchers.routes.ts. */
export async function voucherRedemptionRoutes(app: AppInstance) {
  app.post(
    '/vouchers/:id/redeem',
    {
      schema: {
        tags: ['vouchers'],
        summary:
          'Redeem a certified voucher of your institution for a training-subsidy claim of ' +
          'min(voucher value, class subsidy standard) (Idempotency-Key supported). Without a ' +
          'valid certificate: 409 VOUCHER_NOT_CERTIFIED or CERTIFICATE_REVOKED, and no claim',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: {
          201: Type.Object({ voucher: VoucherSchema, claim: ClaimSchema }),
          401: ProblemRef,
          403: ProblemRef,
          ...notFoundError,
          409: ProblemRef,
          422: ProblemRef,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'vouchers.redeem' }, idempotent: true },
    },
    async (request, reply) => {
      const result = await redeemVoucher(
        app.deps.db,
        app.deps.clock,
        requireAuth(request),
        request.params.id,
        requestMeta(request),
      );
      return reply.status(201).send(result);
    },
  );
}

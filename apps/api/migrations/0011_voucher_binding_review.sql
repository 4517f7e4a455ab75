-- Review of bindings requested by ID number (issue #5, R-VCH-2). Forward-only.
--
-- A training institution may bind a voucher by typing the holder's ID number; the binding then
-- waits (0009 pending_* columns) for the holder to confirm on their phone. When nobody can
-- confirm it (the holder has no worker account) it is flagged for review at once; when it has
-- waited 24 hours unconfirmed the hourly job flags it. A county administrator of the voucher's
-- region (or the city) then approves it, binding exactly as a confirmation does, or rejects it,
-- clearing the pending binding. The holder may still confirm while it is flagged.

ALTER TABLE vouchers
  ADD COLUMN pending_flagged_at  timestamptz,
  -- 'no_account': nobody could confirm; 'unconfirmed': waited 24 h without confirmation.
  ADD COLUMN pending_flag_reason text CHECK (pending_flag_reason IN ('no_account', 'unconfirmed')),
  ADD CONSTRAINT vouchers_pending_flag_pair
    CHECK ((pending_flagged_at IS NULL) = (pending_flag_reason IS NULL)),
  -- Only a pending binding is flagged; clearing the binding clears the flag.
  ADD CONSTRAINT vouchers_pending_flag_needs_binding
    CHECK (pending_flagged_at IS NULL OR pending_class_id IS NOT NULL);

-- The flagging job walks unflagged pending bindings by age.
CREATE INDEX vouchers_pending_unflagged_idx ON vouchers (pending_requested_at)
  WHERE pending_class_id IS NOT NULL AND pending_flagged_at IS NULL;
-- The review queue of a region.
CREATE INDEX vouchers_pending_flagged_idx ON vouchers (region_code, pending_flagged_at)
  WHERE pending_flagged_at IS NOT NULL;

-- A deleted account keeps its row, emptied (no address, no usable password), so that the
-- other participant of each conversation keeps the thread, signed "Compte supprimé".
ALTER TABLE users ADD COLUMN deleted_at BIGINT;

-- CreateIndex
CREATE INDEX "run_texts_run_id_finished_at_idx" ON "run_texts"("run_id", "finished_at");

-- CreateIndex
CREATE INDEX "backend_calls_first_run_id_created_at_idx" ON "backend_calls"("first_run_id", "created_at");

-- CreateIndex
CREATE INDEX "run_failures_run_id_id_idx" ON "run_failures"("run_id", "id");


-- AlterTable
ALTER TABLE "department_labels" ADD COLUMN     "confidence" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "samples" ADD COLUMN     "model_confidence" DOUBLE PRECISION;


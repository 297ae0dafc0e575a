-- AlterTable
ALTER TABLE "ImportRun" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "currentFile" TEXT,
ADD COLUMN     "scheduledFor" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "SourceFile" ADD COLUMN     "result" JSONB;

-- AlterTable
ALTER TABLE "FailedItem" ADD COLUMN     "sourceFileId" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "ImportRun_connectorId_scheduledFor_key" ON "ImportRun"("connectorId", "scheduledFor");

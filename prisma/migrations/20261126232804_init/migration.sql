-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('MAILBOX_IMPORT_EXPORT', 'VIEWER');

-- CreateEnum
CREATE TYPE "KeyMode" AS ENUM ('PLATFORM', 'OWN');

-- CreateEnum
CREATE TYPE "ConnectorState" AS ENUM ('ACTIVE', 'PAUSED', 'DELETED');

-- CreateEnum
CREATE TYPE "DestinationKind" AS ENUM ('GRAPH', 'LOCAL_ARCHIVE');

-- CreateEnum
CREATE TYPE "PlatformKeyKind" AS ENUM ('SSH', 'PGP');

-- CreateEnum
CREATE TYPE "RunTrigger" AS ENUM ('SCHEDULED', 'MANUAL', 'BACKFILL');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED', 'LIMIT_EXCEEDED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "SourceFileStatus" AS ENUM ('PENDING', 'PROCESSED', 'FAILED');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'IMPORTED', 'PARTIAL');

-- CreateEnum
CREATE TYPE "FailureReason" AS ENUM ('USER_MAPPING', 'ITEM_TOO_LARGE', 'DESTINATION_ERROR', 'SOURCE_ERROR');

-- CreateEnum
CREATE TYPE "AlertKind" AS ENUM ('HOST_KEY_MISMATCH', 'MISSED_DAY', 'KEY_EXPIRY', 'RUN_FAILED', 'LIMIT_EXCEEDED', 'MAPPING_FAILURES');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "passwordHash" TEXT,
    "role" "Role" NOT NULL DEFAULT 'VIEWER',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "lastSignInAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Connector" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT,
    "firmCode" TEXT NOT NULL,
    "sftpHost" TEXT NOT NULL,
    "sftpPort" INTEGER NOT NULL DEFAULT 22,
    "remoteDirectory" TEXT NOT NULL DEFAULT '/',
    "keyMode" "KeyMode" NOT NULL,
    "hostKeyFingerprint" TEXT,
    "hostKeyAlgorithm" TEXT,
    "autoMapping" BOOLEAN NOT NULL DEFAULT true,
    "dailyItemLimit" INTEGER NOT NULL DEFAULT 200000,
    "scheduleTime" TEXT NOT NULL,
    "lookbackHours" INTEGER NOT NULL DEFAULT 24,
    "destination" "DestinationKind" NOT NULL DEFAULT 'LOCAL_ARCHIVE',
    "state" "ConnectorState" NOT NULL DEFAULT 'ACTIVE',
    "secretsDataKey" TEXT,
    "passwordEnc" TEXT,
    "pgpPrivateKeyEnc" TEXT,
    "pgpPassphraseEnc" TEXT,
    "sshPrivateKeyEnc" TEXT,
    "sshPassphraseEnc" TEXT,
    "termsAcceptedAt" TIMESTAMP(3),
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Connector_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserMapping" (
    "id" UUID NOT NULL,
    "connectorId" UUID NOT NULL,
    "imId" TEXT NOT NULL,
    "imIdKey" TEXT NOT NULL,
    "mailbox" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UserMapping_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlatformKeyPair" (
    "id" UUID NOT NULL,
    "kind" "PlatformKeyKind" NOT NULL,
    "algorithm" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "secretsDataKey" TEXT NOT NULL,
    "privateKeyEnc" TEXT NOT NULL,
    "passphraseEnc" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "PlatformKeyPair_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportRun" (
    "id" UUID NOT NULL,
    "connectorId" UUID NOT NULL,
    "trigger" "RunTrigger" NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "activeRunKey" TEXT,
    "requestedById" UUID,
    "windowFrom" TIMESTAMP(3),
    "windowTo" TIMESTAMP(3),
    "limitApproved" BOOLEAN NOT NULL DEFAULT false,
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "heartbeatAt" TIMESTAMP(3),
    "filesFound" INTEGER NOT NULL DEFAULT 0,
    "filesProcessed" INTEGER NOT NULL DEFAULT 0,
    "filesFailed" INTEGER NOT NULL DEFAULT 0,
    "itemsFromSource" INTEGER NOT NULL DEFAULT 0,
    "itemsForImport" INTEGER NOT NULL DEFAULT 0,
    "itemsProcessed" INTEGER NOT NULL DEFAULT 0,
    "imported" INTEGER NOT NULL DEFAULT 0,
    "partiallyImported" INTEGER NOT NULL DEFAULT 0,
    "skippedDuplicate" INTEGER NOT NULL DEFAULT 0,
    "failedUserMapping" INTEGER NOT NULL DEFAULT 0,
    "failedTooLarge" INTEGER NOT NULL DEFAULT 0,
    "failedDestination" INTEGER NOT NULL DEFAULT 0,
    "failedOther" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "error" TEXT,

    CONSTRAINT "ImportRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SourceFile" (
    "id" UUID NOT NULL,
    "connectorId" UUID NOT NULL,
    "path" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "mtime" TIMESTAMP(3) NOT NULL,
    "contentHash" TEXT,
    "status" "SourceFileStatus" NOT NULL DEFAULT 'PENDING',
    "itemCount" INTEGER,
    "error" TEXT,
    "lastRunId" UUID,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "SourceFile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" UUID NOT NULL,
    "connectorId" UUID NOT NULL,
    "itemKey" TEXT NOT NULL,
    "mailbox" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "runId" UUID NOT NULL,
    "destinationMessageId" TEXT,
    "internetMessageId" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FailedItem" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "connectorId" UUID NOT NULL,
    "itemId" TEXT NOT NULL,
    "conversationId" TEXT,
    "sourceImId" TEXT,
    "mailbox" TEXT,
    "reason" "FailureReason" NOT NULL,
    "detail" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FailedItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UnmappedParticipant" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "imId" TEXT NOT NULL,
    "email" TEXT,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UnmappedParticipant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConnectorAlert" (
    "id" UUID NOT NULL,
    "connectorId" UUID NOT NULL,
    "kind" "AlertKind" NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "ConnectorAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ArchivedMessage" (
    "id" UUID NOT NULL,
    "connectorId" UUID NOT NULL,
    "mailbox" TEXT NOT NULL,
    "folder" TEXT NOT NULL,
    "itemKey" TEXT NOT NULL,
    "internetMessageId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "fromAddress" TEXT NOT NULL,
    "toAddresses" TEXT[],
    "roomName" TEXT,
    "conversationId" TEXT,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "bodyText" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "raw" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ArchivedMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "seq" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" UUID,
    "actorLabel" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "details" JSONB NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "secretsDataKey" TEXT,
    "secretEnc" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Connector_nameKey_key" ON "Connector"("nameKey");

-- CreateIndex
CREATE UNIQUE INDEX "UserMapping_connectorId_imIdKey_key" ON "UserMapping"("connectorId", "imIdKey");

-- CreateIndex
CREATE INDEX "PlatformKeyPair_kind_retiredAt_idx" ON "PlatformKeyPair"("kind", "retiredAt");

-- CreateIndex
CREATE UNIQUE INDEX "ImportRun_activeRunKey_key" ON "ImportRun"("activeRunKey");

-- CreateIndex
CREATE INDEX "ImportRun_connectorId_queuedAt_idx" ON "ImportRun"("connectorId", "queuedAt");

-- CreateIndex
CREATE INDEX "SourceFile_connectorId_status_idx" ON "SourceFile"("connectorId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "SourceFile_connectorId_path_size_mtime_key" ON "SourceFile"("connectorId", "path", "size", "mtime");

-- CreateIndex
CREATE INDEX "Delivery_runId_idx" ON "Delivery"("runId");

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_connectorId_itemKey_mailbox_key" ON "Delivery"("connectorId", "itemKey", "mailbox");

-- CreateIndex
CREATE INDEX "FailedItem_runId_idx" ON "FailedItem"("runId");

-- CreateIndex
CREATE UNIQUE INDEX "UnmappedParticipant_runId_imId_key" ON "UnmappedParticipant"("runId", "imId");

-- CreateIndex
CREATE INDEX "ConnectorAlert_connectorId_resolvedAt_idx" ON "ConnectorAlert"("connectorId", "resolvedAt");

-- CreateIndex
CREATE INDEX "ArchivedMessage_mailbox_folder_sentAt_idx" ON "ArchivedMessage"("mailbox", "folder", "sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "ArchivedMessage_mailbox_folder_itemKey_key" ON "ArchivedMessage"("mailbox", "folder", "itemKey");

-- CreateIndex
CREATE UNIQUE INDEX "AuditLog_hash_key" ON "AuditLog"("hash");

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Connector" ADD CONSTRAINT "Connector_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserMapping" ADD CONSTRAINT "UserMapping_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportRun" ADD CONSTRAINT "ImportRun_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportRun" ADD CONSTRAINT "ImportRun_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SourceFile" ADD CONSTRAINT "SourceFile_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SourceFile" ADD CONSTRAINT "SourceFile_lastRunId_fkey" FOREIGN KEY ("lastRunId") REFERENCES "ImportRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ImportRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FailedItem" ADD CONSTRAINT "FailedItem_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ImportRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FailedItem" ADD CONSTRAINT "FailedItem_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UnmappedParticipant" ADD CONSTRAINT "UnmappedParticipant_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ImportRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectorAlert" ADD CONSTRAINT "ConnectorAlert_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ArchivedMessage" ADD CONSTRAINT "ArchivedMessage_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

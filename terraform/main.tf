# The same stack as ../template.yaml. The functions, their environment variable names and their
# IAM statements are data in local.functions so one map drives the Lambda functions, roles and
# policies (and the consistency test in functions/lambda reads it).

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  tables = {
    results     = { gsi = true }
    cache       = { gsi = false }
    idempotency = { gsi = false }
    graph       = { gsi = false }
  }

  environment_values = {
    GATEHOUSE_RESULTS_TABLE        = aws_dynamodb_table.this["results"].name
    GATEHOUSE_CACHE_TABLE          = aws_dynamodb_table.this["cache"].name
    GATEHOUSE_IDEMPOTENCY_TABLE    = aws_dynamodb_table.this["idempotency"].name
    GATEHOUSE_GRAPH_TABLE          = aws_dynamodb_table.this["graph"].name
    GATEHOUSE_BUNDLE_BUCKET        = aws_s3_bucket.this["bundles"].bucket
    GATEHOUSE_REPORT_BUCKET        = aws_s3_bucket.this["reports"].bucket
    GATEHOUSE_SCAN_QUEUE_URL       = aws_sqs_queue.scan.url
    GATEHOUSE_EVENT_BUS            = aws_cloudwatch_event_bus.verdicts.name
    GATEHOUSE_POLICY_REVISION      = var.policy_revision
    GATEHOUSE_WEBHOOK_SECRET_ARN   = var.webhook_secret_arn
    GATEHOUSE_ADMISSION_CONFIG     = var.admission_config
    GATEHOUSE_ADMISSION_SECRET_ARN = var.admission_secret_arn
    GATEHOUSE_SIGNING_KEY_ID       = local.signing_key_arn
    GATEHOUSE_TRUST_CONFIG         = var.trust_config_key
    GATEHOUSE_TRUSTED_BUILDERS     = var.trusted_builders_key
    GATEHOUSE_BUNDLE_PUBLIC_KEY    = var.bundle_public_key
    GATEHOUSE_REGISTRY_HOSTS       = join(",", var.registry_hosts)
    GATEHOUSE_REBUILD_CATALOG      = var.rebuild_catalog
    GATEHOUSE_SCAN_REGISTRY        = local.scan_registry
  }

  # The account's own ECR registry unless another registry host is named.
  scan_registry = var.scan_registry != "" ? var.scan_registry : "${data.aws_caller_identity.current.account_id}.dkr.ecr.${data.aws_region.current.name}.amazonaws.com"

  signing_key_arn = var.signing_key_arn != "" ? var.signing_key_arn : aws_kms_key.signing[0].arn

  results_arn      = aws_dynamodb_table.this["results"].arn
  cache_arn        = aws_dynamodb_table.this["cache"].arn
  idempotency_arn  = aws_dynamodb_table.this["idempotency"].arn
  graph_arn        = aws_dynamodb_table.this["graph"].arn
  bundle_bucket    = aws_s3_bucket.this["bundles"].arn
  bundle_objects   = "${aws_s3_bucket.this["bundles"].arn}/*"
  report_objects   = "${aws_s3_bucket.this["reports"].arn}/*"
  report_bucket    = aws_s3_bucket.this["reports"].arn
  rebuild_projects = "arn:${data.aws_partition.current.partition}:codebuild:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:project/gatehouse-rebuild-*"

  # IAM statements that several functions share (local.functions names them by Sid).
  iam_statements = {
    "Tables" = {
      sid       = "Tables"
      actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:TransactWriteItems", "dynamodb:DeleteItem"]
      resources = [local.results_arn, "${local.results_arn}/index/*", local.cache_arn, local.idempotency_arn, local.graph_arn]
    }
    "ReadPolicyBundles" = {
      sid       = "ReadPolicyBundles"
      actions   = ["s3:GetObject", "s3:GetObjectVersion"]
      resources = [local.bundle_objects]
    }
    "ListTrustFolder" = {
      sid       = "ListTrustFolder"
      actions   = ["s3:ListBucket"]
      resources = [local.bundle_bucket]
    }
    "PublishVerdicts" = {
      sid       = "PublishVerdicts"
      actions   = ["events:PutEvents"]
      resources = [aws_cloudwatch_event_bus.verdicts.arn]
    }
    "StartRebuilds" = {
      sid       = "StartRebuilds"
      actions   = ["codebuild:StartBuild", "codebuild:BatchGetBuilds"]
      resources = [local.rebuild_projects]
    }
    "PullImages" = {
      sid       = "PullImages"
      actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:DescribeImages"]
      resources = var.ecr_repository_arns
    }
    # GetAuthorizationToken has no resource-level permissions.
    "EcrToken" = {
      sid       = "EcrToken"
      actions   = ["ecr:GetAuthorizationToken"]
      resources = ["*"]
    }
    "ScanReports" = {
      sid       = "ScanReports"
      actions   = ["s3:PutObject", "s3:GetObject"]
      resources = [local.report_objects]
    }
    "ListScanReports" = {
      sid       = "ListScanReports"
      actions   = ["s3:ListBucket"]
      resources = [local.report_bucket]
    }
    # Detached signatures of the scan reports (docs/compliance-scans.md).
    "SignReports" = {
      sid       = "SignReports"
      actions   = ["kms:Sign", "kms:GetPublicKey"]
      resources = [local.signing_key_arn]
    }
  }

  functions = {
    "registry-push" = {
      description = "Verifies images when a registry reports a push (ECR through EventBridge, distribution webhooks through the URL)."
      timeout     = 120
      memory      = 1024
      environment = [
        "GATEHOUSE_RESULTS_TABLE",
        "GATEHOUSE_CACHE_TABLE",
        "GATEHOUSE_IDEMPOTENCY_TABLE",
        "GATEHOUSE_GRAPH_TABLE",
        "GATEHOUSE_BUNDLE_BUCKET",
        "GATEHOUSE_REPORT_BUCKET",
        "GATEHOUSE_EVENT_BUS",
        "GATEHOUSE_POLICY_REVISION",
        "GATEHOUSE_WEBHOOK_SECRET_ARN",
        "GATEHOUSE_SIGNING_KEY_ID",
        "GATEHOUSE_TRUST_CONFIG",
        "GATEHOUSE_TRUSTED_BUILDERS",
        "GATEHOUSE_BUNDLE_PUBLIC_KEY",
        "GATEHOUSE_REGISTRY_HOSTS",
        "GATEHOUSE_REBUILD_CATALOG",
      ]
      statements = [
        local.iam_statements["Tables"],
        local.iam_statements["ReadPolicyBundles"],
        local.iam_statements["ListTrustFolder"],
        {
          sid       = "WriteReports"
          actions   = ["s3:PutObject"]
          resources = [local.report_objects]
        },
        local.iam_statements["PublishVerdicts"],
        local.iam_statements["StartRebuilds"],
        local.iam_statements["PullImages"],
        local.iam_statements["EcrToken"],
        {
          sid       = "WebhookSecret"
          actions   = ["secretsmanager:GetSecretValue"]
          resources = [var.webhook_secret_arn]
        },
        {
          sid       = "SignSummaries"
          actions   = ["kms:Sign", "kms:GetPublicKey"]
          resources = [local.signing_key_arn]
        },
      ]
    }

    "admission" = {
      description = "Kubernetes validating and mutating admission webhook (AdmissionReview v1 over the function URL)."
      # Below the webhook's timeoutSeconds (10) so Gatehouse answers with its own verdict first.
      timeout = 9
      memory  = 2048
      environment = [
        "GATEHOUSE_RESULTS_TABLE",
        "GATEHOUSE_CACHE_TABLE",
        "GATEHOUSE_BUNDLE_BUCKET",
        "GATEHOUSE_POLICY_REVISION",
        "GATEHOUSE_ADMISSION_CONFIG",
        "GATEHOUSE_ADMISSION_SECRET_ARN",
        "GATEHOUSE_SIGNING_KEY_ID",
        "GATEHOUSE_TRUST_CONFIG",
        "GATEHOUSE_TRUSTED_BUILDERS",
        "GATEHOUSE_BUNDLE_PUBLIC_KEY",
      ]
      statements = [
        {
          sid       = "Tables"
          actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]
          resources = [local.results_arn, "${local.results_arn}/index/*", local.cache_arn]
        },
        local.iam_statements["ReadPolicyBundles"],
        local.iam_statements["ListTrustFolder"],
        local.iam_statements["PullImages"],
        local.iam_statements["EcrToken"],
        {
          sid       = "AdmissionSecret"
          actions   = ["secretsmanager:GetSecretValue"]
          resources = [var.admission_secret_arn]
        },
        {
          # The public key that verifies VSAs on the admission fast path.
          sid       = "VerifySummaries"
          actions   = ["kms:GetPublicKey"]
          resources = [local.signing_key_arn]
        },
      ]
    }

    "compliance-scan" = {
      description = "On schedule, lists the registry's repositories and images (ECR DescribeImages or the registry catalog) and enqueues them in batches."
      timeout     = 300
      memory      = 1024
      environment = [
        "GATEHOUSE_REPORT_BUCKET",
        "GATEHOUSE_SCAN_QUEUE_URL",
        "GATEHOUSE_SCAN_REGISTRY",
        "GATEHOUSE_SIGNING_KEY_ID",
      ]
      statements = [
        local.iam_statements["ScanReports"],
        local.iam_statements["ListScanReports"],
        {
          sid       = "EnqueueScans"
          actions   = ["sqs:SendMessage"]
          resources = [aws_sqs_queue.scan.arn]
        },
        {
          sid       = "ListImages"
          actions   = ["ecr:DescribeRepositories", "ecr:DescribeImages"]
          resources = var.ecr_repository_arns
        },
        local.iam_statements["SignReports"],
      ]
    }

    "compliance-scan-worker" = {
      description = "Re-verifies the images of one scan batch per message with the current policy, VEX and findings; writes results and reports, and the summary after the last batch."
      timeout     = 300
      memory      = 1024
      environment = [
        "GATEHOUSE_RESULTS_TABLE",
        "GATEHOUSE_CACHE_TABLE",
        "GATEHOUSE_IDEMPOTENCY_TABLE",
        "GATEHOUSE_GRAPH_TABLE",
        "GATEHOUSE_BUNDLE_BUCKET",
        "GATEHOUSE_REPORT_BUCKET",
        "GATEHOUSE_EVENT_BUS",
        "GATEHOUSE_POLICY_REVISION",
        "GATEHOUSE_REBUILD_CATALOG",
        "GATEHOUSE_TRUST_CONFIG",
        "GATEHOUSE_TRUSTED_BUILDERS",
        "GATEHOUSE_BUNDLE_PUBLIC_KEY",
        "GATEHOUSE_SIGNING_KEY_ID",
      ]
      statements = [
        local.iam_statements["Tables"],
        local.iam_statements["ReadPolicyBundles"],
        local.iam_statements["ListTrustFolder"],
        local.iam_statements["ScanReports"],
        local.iam_statements["ListScanReports"],
        local.iam_statements["PublishVerdicts"],
        # A scan that finds fixable findings gone from a newer base starts their rebuild.
        local.iam_statements["StartRebuilds"],
        {
          sid       = "ConsumeScans"
          actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
          resources = [aws_sqs_queue.scan.arn]
        },
        local.iam_statements["PullImages"],
        local.iam_statements["EcrToken"],
        local.iam_statements["SignReports"],
      ]
    }

    "rebuild-status" = {
      description = "Follows CodeBuild rebuilds from their state-change events; records each result, retries a failed build within the catalog's limits, hands a pushed rebuild to the after-build steps."
      timeout     = 60
      memory      = 1024
      environment = [
        "GATEHOUSE_IDEMPOTENCY_TABLE",
        "GATEHOUSE_GRAPH_TABLE",
        "GATEHOUSE_EVENT_BUS",
        "GATEHOUSE_REBUILD_CATALOG",
        "GATEHOUSE_SIGNING_KEY_ID",
      ]
      statements = [
        {
          sid       = "Tables"
          actions   = ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:TransactWriteItems"]
          resources = [local.idempotency_arn, local.graph_arn]
        },
        {
          sid       = "PublishRebuildEvents"
          actions   = ["events:PutEvents"]
          resources = [aws_cloudwatch_event_bus.verdicts.arn]
        },
        {
          sid       = "FollowRebuilds"
          actions   = ["codebuild:StartBuild", "codebuild:BatchGetBuilds"]
          resources = [local.rebuild_projects]
        },
        {
          sid       = "DeadLetters"
          actions   = ["sqs:SendMessage"]
          resources = [aws_sqs_queue.rebuild_status_dead_letter.arn]
        },
        {
          # The after-build listeners run here for CodeBuild rebuilds: they sign the pushed image,
          # its SBOM and provenance with the platform key and attach them in its repository.
          sid       = "SignRebuilds"
          actions   = ["kms:Sign", "kms:GetPublicKey"]
          resources = [local.signing_key_arn]
        },
        {
          sid       = "AttachEvidence"
          actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"]
          resources = var.ecr_repository_arns
        },
        local.iam_statements["EcrToken"],
      ]
    }
  }

  # Functions invoked asynchronously whose failed events must be kept after Lambda's retries.
  dead_letter_queues = {
    "rebuild-status" = aws_sqs_queue.rebuild_status_dead_letter.arn
  }

  alarm_actions = var.alarm_topic_arn == null ? [] : [var.alarm_topic_arn]
}

# --- Storage ---------------------------------------------------------------------

resource "aws_dynamodb_table" "this" {
  for_each = local.tables

  name         = "${var.name}-${each.key}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  dynamic "attribute" {
    for_each = each.value.gsi ? ["gsi1pk", "gsi1sk"] : []
    content {
      name = attribute.value
      type = "S"
    }
  }

  dynamic "global_secondary_index" {
    for_each = each.value.gsi ? ["byRepository"] : []
    content {
      name            = global_secondary_index.value
      hash_key        = "gsi1pk"
      range_key       = "gsi1sk"
      projection_type = "ALL"
    }
  }

  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}

resource "aws_s3_bucket" "this" {
  for_each = toset(["bundles", "reports"])

  bucket_prefix = "${var.name}-${each.key}-"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = aws_s3_bucket.this

  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_sqs_queue" "scan_dead_letter" {
  name                      = "${var.name}-scan-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "scan" {
  name = "${var.name}-scan"
  # Six times the worker's timeout, as Lambda recommends for SQS sources.
  visibility_timeout_seconds = 1800
  message_retention_seconds  = 345600
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.scan_dead_letter.arn
    maxReceiveCount     = 5
  })
}

# A rebuild-status event whose invocation failed after Lambda's retries (CodeBuild could not be
# asked, a table was unavailable) waits here, so no build's end is lost.
resource "aws_sqs_queue" "rebuild_status_dead_letter" {
  name                      = "${var.name}-rebuild-status-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_cloudwatch_event_bus" "verdicts" {
  name = "${var.name}-verdicts"
}

# --- Functions -------------------------------------------------------------------

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

# Signs verification summaries (VSAs) and reports; the private key never leaves KMS. Asymmetric
# keys cannot rotate automatically: rotate by creating a new key and trusting both for a while.
resource "aws_kms_key" "signing" {
  count = var.signing_key_arn == "" ? 1 : 0

  description              = "Gatehouse signing key (verification summaries, reports)"
  customer_master_key_spec = "ECC_NIST_P256"
  key_usage                = "SIGN_VERIFY"
  deletion_window_in_days  = 30
}

resource "aws_iam_role" "function" {
  for_each = local.functions

  name               = "${var.name}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

resource "aws_iam_role_policy_attachment" "logs" {
  for_each = local.functions

  role       = aws_iam_role.function[each.key].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy_attachment" "xray" {
  for_each = local.functions

  role       = aws_iam_role.function[each.key].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AWSXRayDaemonWriteAccess"
}

resource "aws_iam_role_policy" "function" {
  for_each = local.functions

  name = "${var.name}-${each.key}"
  role = aws_iam_role.function[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [for s in each.value.statements : {
      Sid      = s.sid
      Effect   = "Allow"
      Action   = s.actions
      Resource = s.resources
    }]
  })
}

resource "aws_lambda_function" "this" {
  for_each = local.functions

  function_name    = "${var.name}-${each.key}"
  description      = each.value.description
  role             = aws_iam_role.function[each.key].arn
  filename         = var.function_zip
  source_code_hash = filebase64sha256(var.function_zip)
  handler          = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
  runtime          = "java21"
  architectures    = ["x86_64"]
  memory_size      = each.value.memory
  timeout          = each.value.timeout
  publish          = true

  reserved_concurrent_executions = each.key == "admission" ? var.admission_reserved_concurrency : -1

  # SnapStart snapshots each published version after INIT, where PolicyPriming compiles the policy bundle
  # and evaluates it on a sample input (registry-push, admission, compliance-scan-worker): see docs/deploy.md.
  snap_start {
    apply_on = "PublishedVersions"
  }

  tracing_config {
    mode = "Active"
  }

  dynamic "dead_letter_config" {
    for_each = contains(keys(local.dead_letter_queues), each.key) ? [local.dead_letter_queues[each.key]] : []
    content {
      target_arn = dead_letter_config.value
    }
  }

  environment {
    variables = merge(
      { for n in each.value.environment : n => local.environment_values[n] },
      { QUARKUS_FUNQY_EXPORT = each.key },
    )
  }
}

resource "aws_lambda_alias" "live" {
  for_each = local.functions

  name             = "live"
  function_name    = aws_lambda_function.this[each.key].function_name
  function_version = aws_lambda_function.this[each.key].version
}

# Distribution registries cannot sign requests with SigV4, so the URL is public and the function
# checks the shared secret from the registry's notification headers (docs/deploy.md).
resource "aws_lambda_function_url" "registry_push" {
  function_name      = aws_lambda_function.this["registry-push"].function_name
  qualifier          = aws_lambda_alias.live["registry-push"].name
  authorization_type = "NONE"
}

# The API server cannot sign requests with SigV4 either: the function refuses callers without the
# admission secret before reading the review (docs/kubernetes-webhooks.md).
resource "aws_lambda_function_url" "admission" {
  function_name      = aws_lambda_function.this["admission"].function_name
  qualifier          = aws_lambda_alias.live["admission"].name
  authorization_type = "NONE"
}

resource "aws_cloudwatch_event_rule" "ecr_push" {
  name = "${var.name}-ecr-push"
  event_pattern = jsonencode({
    source        = ["aws.ecr"]
    "detail-type" = ["ECR Image Action", "ECR Referrer Action"]
    detail = {
      "action-type" = ["PUSH"]
      result        = ["SUCCESS"]
    }
  })
}

resource "aws_cloudwatch_event_target" "ecr_push" {
  rule = aws_cloudwatch_event_rule.ecr_push.name
  arn  = aws_lambda_alias.live["registry-push"].arn

  retry_policy {
    maximum_retry_attempts       = 8
    maximum_event_age_in_seconds = 3600
  }
}

resource "aws_lambda_permission" "ecr_push" {
  statement_id  = "AllowEventBridgeEcrPush"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this["registry-push"].function_name
  qualifier     = aws_lambda_alias.live["registry-push"].name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.ecr_push.arn
}

resource "aws_cloudwatch_event_rule" "compliance_scan" {
  name                = "${var.name}-compliance-scan"
  schedule_expression = var.compliance_scan_schedule
}

resource "aws_cloudwatch_event_target" "compliance_scan" {
  rule = aws_cloudwatch_event_rule.compliance_scan.name
  arn  = aws_lambda_alias.live["compliance-scan"].arn
}

resource "aws_lambda_permission" "compliance_scan" {
  statement_id  = "AllowEventBridgeSchedule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this["compliance-scan"].function_name
  qualifier     = aws_lambda_alias.live["compliance-scan"].name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.compliance_scan.arn
}

# Only the end of builds of the rebuild projects; the function checks each against the catalog.
resource "aws_cloudwatch_event_rule" "codebuild_state_change" {
  name = "${var.name}-codebuild-state-change"
  event_pattern = jsonencode({
    source        = ["aws.codebuild"]
    "detail-type" = ["CodeBuild Build State Change"]
    detail = {
      "build-status" = ["SUCCEEDED", "FAILED", "FAULT", "STOPPED", "TIMED_OUT"]
      "project-name" = [{ prefix = "gatehouse-rebuild-" }]
    }
  })
}

resource "aws_cloudwatch_event_target" "codebuild_state_change" {
  rule = aws_cloudwatch_event_rule.codebuild_state_change.name
  arn  = aws_lambda_alias.live["rebuild-status"].arn

  retry_policy {
    maximum_retry_attempts       = 8
    maximum_event_age_in_seconds = 86400
  }
}

resource "aws_lambda_permission" "codebuild_state_change" {
  statement_id  = "AllowEventBridgeCodeBuildStateChange"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this["rebuild-status"].function_name
  qualifier     = aws_lambda_alias.live["rebuild-status"].name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.codebuild_state_change.arn
}

resource "aws_lambda_event_source_mapping" "scan_queue" {
  event_source_arn        = aws_sqs_queue.scan.arn
  function_name           = aws_lambda_alias.live["compliance-scan-worker"].arn
  batch_size              = 5
  function_response_types = ["ReportBatchItemFailures"]
}

# --- Alarms ----------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "errors" {
  for_each = toset(["registry-push", "admission", "compliance-scan-worker", "rebuild-status"])

  alarm_name          = "${var.name}-${each.key}-errors"
  alarm_description   = "${each.key} invocations failed."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.this[each.key].function_name }
  statistic           = "Sum"
  period              = each.key == "admission" ? 60 : 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "admission_throttles" {
  alarm_name          = "${var.name}-admission-throttles"
  alarm_description   = "admission is throttled (reserved concurrency reached); the API server refuses pods."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = aws_lambda_function.this["admission"].function_name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "admission_duration_p99" {
  alarm_name          = "${var.name}-admission-duration-p99"
  alarm_description   = "admission p99 duration above 5 s, half the webhook timeout."
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = { FunctionName = aws_lambda_function.this["admission"].function_name }
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 3
  threshold           = 5000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "rebuild_status_dead_letter_depth" {
  alarm_name          = "${var.name}-rebuild-status-dlq-depth"
  alarm_description   = "CodeBuild state-change events that rebuild-status could not handle wait in the dead-letter queue."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.rebuild_status_dead_letter.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "scan_dead_letter_depth" {
  alarm_name          = "${var.name}-scan-dlq-depth"
  alarm_description   = "scan messages failed five times and wait in the dead-letter queue."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.scan_dead_letter.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

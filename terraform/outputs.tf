output "registry_push_url" {
  description = "Distribution registries' notification endpoint URL (send the shared secret as Authorization Bearer)."
  value       = aws_lambda_function_url.registry_push.function_url
}

output "admission_url" {
  description = "Kubernetes webhook URL base (docs/kubernetes-webhooks.md)."
  value       = aws_lambda_function_url.admission.function_url
}

output "signing_key_arn" {
  description = "The KMS key that signs VSAs and reports; export its public key with `gatehouse keys export --kms-key-id ARN`."
  value       = local.signing_key_arn
}

output "table_names" {
  value = { for k, t in aws_dynamodb_table.this : k => t.name }
}

output "bundle_bucket" {
  value = aws_s3_bucket.this["bundles"].bucket
}

output "report_bucket" {
  value = aws_s3_bucket.this["reports"].bucket
}

output "scan_queue_url" {
  value = aws_sqs_queue.scan.url
}

output "scan_dead_letter_queue_url" {
  value = aws_sqs_queue.scan_dead_letter.url
}

output "verdict_bus_name" {
  value = aws_cloudwatch_event_bus.verdicts.name
}

output "function_names" {
  value = { for k, f in aws_lambda_function.this : k => f.function_name }
}

output "rebuild_status_dead_letter_queue_url" {
  value = aws_sqs_queue.rebuild_status_dead_letter.url
}

package dev.gatehouse.aws;

import dev.gatehouse.aws.testing.LocalAwsServices;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.BlobStoreContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsServices.class)
class S3BlobStoreTest extends BlobStoreContract {

    @Override
    protected BlobStore newStore() {
        return new S3BlobStore(LocalAwsServices.s3(), LocalAwsServices.bucket(), "gatehouse/");
    }
}

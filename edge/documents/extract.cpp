// The failures of reading a document (see extract.h), shared by the reader
// that produces them and the server that reports them.
#include "edge/documents/extract.h"

namespace onramp::documents {

Problem extraction_problem(std::string detail, std::string code) {
    Problem p = unprocessable({}, std::move(detail));
    p.error_code = std::move(code);
    return p;
}

Problem extraction_cancelled() {
    return extraction_problem("Extraction was interrupted; it will be retried.", "cancelled");
}

}  // namespace onramp::documents

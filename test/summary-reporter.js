// Prints one plain closing line ("Tests: N passed, N failed, N skipped") after jest's own summary,
// the format CI reads to count tests in any language.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results
    const skipped = numPendingTests + numTodoTests
    process.stdout.write(
      `Tests: ${numPassedTests} passed, ${numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
    )
  }
}

module.exports = SummaryReporter

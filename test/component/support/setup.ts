// What the WeChat runtime provides around components and TDesign reads: the app and the page
// stack. The pages under test do not use either; TDesign's mixins look them up.
Object.assign(globalThis, {
  getApp: () => ({}),
  getCurrentPages: () => [],
})

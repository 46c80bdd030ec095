// Page navigation as the test sees it: a promise of where the page went next. Navigation leaves
// the page's DOM as it is, so waiting for a DOM change would never end.
import 'miniprogram-simulate'

type Method = 'navigateTo' | 'redirectTo' | 'reLaunch'

/** Resolves with the options of the next wx[method] call (restored by jest.restoreAllMocks). */
export function nextNavigation(method: Method): Promise<{ url: string }> {
  return new Promise((resolve) => {
    jest
      .spyOn(wx, method)
      .mockImplementation(((options: { url: string }) => resolve(options)) as never)
  })
}

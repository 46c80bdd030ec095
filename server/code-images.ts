// Mini-program code images (wxacode.getUnlimited) for share codes and invites, made once per
// scene and kept in cloud storage: the API is rate-limited and a code's image never changes.
import { getDb, readDoc } from './db'
import { getOpenApi } from './openapi'
import { CODE_IMAGES } from './records/share-codes'
import { getStorage } from './storage'

/** The page a scanned code opens; it reads the scene (`c=` share code, `i=` invite). */
export const CODE_PAGE = 'pages/home/index'

const imageId = (scene: string) => scene.replace(/[^A-Za-z0-9]/g, '-')

/** The image of a scene: from the cache, or made, stored and cached now. */
export async function codeImageUrl(scene: string): Promise<{ fileId: string; url: string }> {
  const id = imageId(scene)
  const ref = getDb().collection(CODE_IMAGES).doc(id)
  const cached = await readDoc<{ fileId: string }>(ref)
  let fileId = cached?.fileId
  if (!fileId) {
    const png = await getOpenApi().getUnlimitedCode({ scene, page: CODE_PAGE })
    fileId = await getStorage().put(`codes/${id}.png`, png)
    // set, not add: two first requests at once both store the same image under the same path.
    await ref.set({ data: { scene, fileId, createdAt: new Date() } })
  }
  return { fileId, url: await getStorage().tempUrl(fileId) }
}

/** The image bytes of a scene, for tables that embed them (made and cached like codeImageUrl). */
export async function codeImageBytes(scene: string): Promise<Buffer> {
  return getOpenApi().getUnlimitedCode({ scene, page: CODE_PAGE })
}

// A page section's data: loading, error text and a reload, for <async-state>.
import { ref, type Ref } from 'vue'
import { errorText } from '../strings'

export function useLoad<T>(load: () => Promise<T>): {
  data: Ref<T | null>
  loading: Ref<boolean>
  error: Ref<string | null>
  reload: () => Promise<void>
} {
  const data = ref<T | null>(null) as Ref<T | null>
  const loading = ref(false)
  const error = ref<string | null>(null)
  const reload = async () => {
    loading.value = true
    error.value = null
    try {
      data.value = await load()
    } catch (err) {
      error.value = errorText(err)
    } finally {
      loading.value = false
    }
  }
  void reload()
  return { data, loading, error, reload }
}

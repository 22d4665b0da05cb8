//! The part of every flavour's public API that does not wait, written once.

/// Implements the non-waiting API shared by every flavour on the flavour's
/// own `Producer<T>` and `Consumer<T>`.
///
/// A flavour crate defines `pub struct Producer<T> { inner:
/// ring_core::Producer<T, S> }` and the matching `Consumer<T>`, where `S` is
/// its [`WaitState`](crate::WaitState), then invokes this macro with its
/// crate name (for the doc examples) and `S`. The macro adds `try_push`,
/// `push_slice`, `write_chunk_uninit`, `try_pop`, `peek`, `pop_slice`,
/// `pop_into`, `read_chunk`, `try_iter`, the size queries, `Debug`, and the aliases
/// `WriteChunkUninit`, `ReadChunk` and `ReadChunkIntoIter`. The flavour
/// writes `channel` and its waiting operations itself.
///
/// # Examples
///
/// ```
/// mod my_flavour {
///     pub struct Producer<T> {
///         inner: ring_core::Producer<T, ()>,
///     }
///     pub struct Consumer<T> {
///         inner: ring_core::Consumer<T, ()>,
///     }
///     pub fn channel<T>(capacity: usize) -> (Producer<T>, Consumer<T>) {
///         let (inner_producer, inner_consumer) = ring_core::channel(capacity);
///         (Producer { inner: inner_producer }, Consumer { inner: inner_consumer })
///     }
///     ring_core::impl_flavour_api!(crate = "ring_core", wait_state = ());
/// }
///
/// let (mut producer, mut consumer) = my_flavour::channel(2);
/// producer.try_push(1).unwrap();
/// assert_eq!(consumer.try_pop(), Ok(1));
/// ```
#[macro_export]
macro_rules! impl_flavour_api {
    (crate = $krate:literal, wait_state = $wait:ty $(,)?) => {
        /// Free slots of the ring reserved for writing in place; see
        /// [`Producer::write_chunk_uninit`].
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n# use ", $krate, " as ring;")]
        /// let (mut producer, mut consumer) = ring::channel::<u8>(2);
        /// let chunk: ring::WriteChunkUninit<'_, u8> = producer.write_chunk_uninit(2);
        /// assert_eq!(chunk.fill_from_slice(&[1, 2]), 2);
        /// assert_eq!(consumer.len(), 2);
        /// ```
        pub type WriteChunkUninit<'a, T> = $crate::WriteChunkUninit<'a, T, $wait>;
        /// Items of the ring lent for reading in place; see
        /// [`Consumer::read_chunk`].
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n# use ", $krate, " as ring;")]
        /// let (mut producer, mut consumer) = ring::channel::<u8>(2);
        /// producer.push_slice(&[1, 2]);
        /// let chunk: ring::ReadChunk<'_, u8> = consumer.read_chunk(2);
        /// assert_eq!(chunk.as_slices(), (&[1, 2][..], &[][..]));
        /// chunk.commit_all();
        /// assert!(consumer.is_empty());
        /// ```
        pub type ReadChunk<'a, T> = $crate::ReadChunk<'a, T, $wait>;
        /// Moves the items of a [`ReadChunk`] out of the ring.
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n# use ", $krate, " as ring;")]
        /// let (mut producer, mut consumer) = ring::channel(2);
        /// producer.push_slice(&[1, 2]);
        /// let items: ring::ReadChunkIntoIter<'_, i32> = consumer.read_chunk(2).into_iter();
        /// assert_eq!(items.collect::<Vec<_>>(), [1, 2]);
        /// ```
        pub type ReadChunkIntoIter<'a, T> = $crate::ReadChunkIntoIter<'a, T, $wait>;

        impl<T> Producer<T> {
            /// Pushes `value` unless the ring is full or the consumer is
            /// gone; never waits.
            ///
            /// # Errors
            ///
            /// [`TryPushError::Disconnected`]($crate::TryPushError::Disconnected)
            /// once the consumer is gone,
            /// [`TryPushError::Full`]($crate::TryPushError::Full) while the
            /// ring is full; either hands the value back.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, mut consumer) = ring::channel(1);
            /// assert_eq!(producer.try_push(1), Ok(()));
            /// assert!(producer.try_push(2).unwrap_err().is_full());
            /// assert_eq!(consumer.try_pop(), Ok(1));
            /// ```
            #[inline]
            pub fn try_push(
                &mut self,
                value: T,
            ) -> ::core::result::Result<(), $crate::TryPushError<T>> {
                self.inner.try_push(value)
            }

            /// Copies as many items of `items` as fit, in order, and
            /// publishes them with one index store; never waits.
            ///
            /// Returns how many were pushed: all of them, fewer when the
            /// ring fills up, none once the consumer is gone.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, mut consumer) = ring::channel(3);
            /// assert_eq!(producer.push_slice(&[1, 2, 3, 4]), 3);
            /// let mut out = [0; 4];
            /// assert_eq!(consumer.pop_slice(&mut out), 3);
            /// assert_eq!(out, [1, 2, 3, 0]);
            /// ```
            #[inline]
            #[must_use = "items that did not fit were not pushed; the count says how many went in"]
            pub fn push_slice(&mut self, items: &[T]) -> usize
            where
                T: Copy,
            {
                self.inner.push_slice(items)
            }

            /// Reserves up to `max` free slots (fewer when fewer are free)
            /// for writing in place; see [`WriteChunkUninit`]. Nothing is
            /// visible to the consumer before the commit, which publishes
            /// the whole batch with one index store.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, mut consumer) = ring::channel(4);
            /// let chunk = producer.write_chunk_uninit(8);
            /// assert_eq!(chunk.len(), 4);
            /// assert_eq!(chunk.fill_from_iter(10..12), 2);
            /// assert_eq!(consumer.try_pop(), Ok(10));
            /// ```
            #[inline]
            #[must_use = "a write chunk does nothing until it is filled and committed"]
            pub fn write_chunk_uninit(&mut self, max: usize) -> WriteChunkUninit<'_, T> {
                self.inner.write_chunk_uninit(max)
            }

            /// The number of items the ring holds at most: exactly the
            /// capacity given to `channel`.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (producer, _consumer) = ring::channel::<u8>(1000);
            /// assert_eq!(producer.capacity(), 1000);
            /// ```
            #[inline]
            pub fn capacity(&self) -> usize {
                self.inner.capacity()
            }

            /// How many slots are free now; a lower bound, since the
            /// consumer may free more at any moment.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, _consumer) = ring::channel(3);
            /// producer.try_push(1).unwrap();
            /// assert_eq!(producer.free_slots(), 2);
            /// ```
            #[inline]
            pub fn free_slots(&self) -> usize {
                self.inner.free_slots()
            }

            /// How many items are in the ring now; an upper bound, since the
            /// consumer may pop at any moment.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, _consumer) = ring::channel(3);
            /// producer.push_slice(&[1, 2]);
            /// assert_eq!(producer.len(), 2);
            /// ```
            #[inline]
            pub fn len(&self) -> usize {
                self.inner.len()
            }

            /// Whether the ring holds no items now.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (producer, _consumer) = ring::channel::<u8>(3);
            /// assert!(producer.is_empty());
            /// ```
            #[inline]
            pub fn is_empty(&self) -> bool {
                self.inner.is_empty()
            }

            /// Whether the ring is full now.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, _consumer) = ring::channel(1);
            /// producer.try_push(1).unwrap();
            /// assert!(producer.is_full());
            /// ```
            #[inline]
            pub fn is_full(&self) -> bool {
                self.inner.is_full()
            }

            /// Whether the channel is disconnected: the consumer is gone, or
            /// either side closed it. Once it is, every push fails.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (producer, consumer) = ring::channel::<u8>(1);
            /// assert!(!producer.is_disconnected());
            /// drop(consumer);
            /// assert!(producer.is_disconnected());
            /// ```
            #[inline]
            pub fn is_disconnected(&self) -> bool {
                self.inner.is_disconnected()
            }

            /// Closes the channel without dropping the producer: its later
            /// pushes fail with `Disconnected` and hand the value back, and
            /// the consumer, after popping every item pushed before, gets
            /// `Disconnected`, exactly as after the producer's drop. A
            /// waiting consumer is woken. Closing again does nothing.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, mut consumer) = ring::channel(2);
            /// producer.try_push(1).unwrap();
            /// producer.close_channel();
            /// assert!(producer.try_push(2).unwrap_err().is_disconnected());
            /// assert_eq!(consumer.try_pop(), Ok(1));
            /// assert!(consumer.try_pop().unwrap_err().is_disconnected());
            /// ```
            pub fn close_channel(&mut self) {
                self.inner.close_channel();
            }
        }

        impl<T> Consumer<T> {
            /// Pops the oldest item unless the ring is empty; never waits.
            ///
            /// # Errors
            ///
            /// [`TryPopError::Empty`]($crate::TryPopError::Empty) while the
            /// ring is empty and the producer is there;
            /// [`TryPopError::Disconnected`]($crate::TryPopError::Disconnected)
            /// once the producer is gone and every item it pushed has been
            /// popped.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, mut consumer) = ring::channel(2);
            /// producer.try_push('a').unwrap();
            /// drop(producer);
            /// assert_eq!(consumer.try_pop(), Ok('a'));
            /// assert!(consumer.try_pop().unwrap_err().is_disconnected());
            /// ```
            #[inline]
            pub fn try_pop(&mut self) -> ::core::result::Result<T, $crate::TryPopError> {
                self.inner.try_pop()
            }

            /// Returns the oldest item without popping it, or `None` while
            /// the ring is empty.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, mut consumer) = ring::channel(2);
            /// assert_eq!(consumer.peek(), None);
            /// producer.try_push(5).unwrap();
            /// assert_eq!(consumer.peek(), Some(&5));
            /// ```
            #[inline]
            pub fn peek(&self) -> ::core::option::Option<&T> {
                self.inner.peek()
            }

            /// Copies as many items as fit into `out`, in order, and frees
            /// their slots with one index store; never waits. Returns how
            /// many were popped.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, mut consumer) = ring::channel(4);
            /// producer.push_slice(&[1, 2, 3]);
            /// let mut out = [0; 2];
            /// assert_eq!(consumer.pop_slice(&mut out), 2);
            /// assert_eq!(out, [1, 2]);
            /// ```
            #[inline]
            #[must_use = "only the first `count` elements of `out` were written"]
            pub fn pop_slice(&mut self, out: &mut [T]) -> usize
            where
                T: Copy,
            {
                self.inner.pop_slice(out)
            }

            /// Moves up to `max` items, in order, to the end of `out`, and
            /// frees their slots with one index publication; never waits.
            /// No `T: Copy` bound: the items are moved. Returns how many it
            /// moved, 0 when the ring is empty.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, mut consumer) = ring::channel(4);
            /// producer.try_push(String::from("a")).unwrap();
            /// producer.try_push(String::from("b")).unwrap();
            /// let mut batch = Vec::new();
            /// assert_eq!(consumer.pop_into(&mut batch, 8), 2);
            /// assert_eq!(batch, ["a", "b"]);
            /// ```
            #[inline]
            #[must_use = "the count says how many items were appended to `out`"]
            pub fn pop_into(&mut self, out: &mut $crate::__private::Vec<T>, max: usize) -> usize {
                self.inner.pop_into(out, max)
            }

            /// Lends up to `max` items (fewer when fewer are there) for
            /// reading in place; see [`ReadChunk`].
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, mut consumer) = ring::channel(4);
            /// producer.push_slice(&[1, 2, 3]);
            /// let chunk = consumer.read_chunk(8);
            /// assert_eq!(chunk.len(), 3);
            /// chunk.commit(2);
            /// assert_eq!(consumer.try_pop(), Ok(3));
            /// ```
            #[inline]
            #[must_use = "a read chunk does nothing until its items are read and committed"]
            pub fn read_chunk(&mut self, max: usize) -> ReadChunk<'_, T> {
                self.inner.read_chunk(max)
            }

            /// An iterator over the items in the ring now, popping each; it
            /// ends when the ring is empty and never waits.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, mut consumer) = ring::channel(4);
            /// producer.push_slice(&[1, 2]);
            /// assert_eq!(consumer.try_iter().collect::<Vec<_>>(), [1, 2]);
            /// ```
            #[inline]
            pub fn try_iter(&mut self) -> impl ::core::iter::Iterator<Item = T> + '_ {
                self.inner.try_iter()
            }

            /// The number of items the ring holds at most: exactly the
            /// capacity given to `channel`.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (_producer, consumer) = ring::channel::<u8>(7);
            /// assert_eq!(consumer.capacity(), 7);
            /// ```
            #[inline]
            pub fn capacity(&self) -> usize {
                self.inner.capacity()
            }

            /// How many items are in the ring now; a lower bound, since the
            /// producer may push more at any moment.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, consumer) = ring::channel(3);
            /// producer.push_slice(&[1, 2]);
            /// assert_eq!(consumer.len(), 2);
            /// ```
            #[inline]
            pub fn len(&self) -> usize {
                self.inner.len()
            }

            /// Whether the ring is empty now.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (_producer, consumer) = ring::channel::<u8>(3);
            /// assert!(consumer.is_empty());
            /// ```
            #[inline]
            pub fn is_empty(&self) -> bool {
                self.inner.is_empty()
            }

            /// Whether the ring is full now.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, consumer) = ring::channel(2);
            /// producer.push_slice(&[1, 2]);
            /// assert!(consumer.is_full());
            /// ```
            #[inline]
            pub fn is_full(&self) -> bool {
                self.inner.is_full()
            }

            /// Whether the channel is disconnected: the producer is gone, or
            /// either side closed it. Items pushed before may still be in
            /// the ring.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, mut consumer) = ring::channel(1);
            /// producer.try_push(1).unwrap();
            /// drop(producer);
            /// assert!(consumer.is_disconnected());
            /// assert_eq!(consumer.try_pop(), Ok(1));
            /// ```
            #[inline]
            pub fn is_disconnected(&self) -> bool {
                self.inner.is_disconnected()
            }

            /// Closes the channel without dropping the consumer: the
            /// producer's later pushes fail with `Disconnected` and hand the
            /// value back (a waiting producer is woken), while this consumer
            /// can still pop the items in the ring, then gets
            /// `Disconnected`. Closing again does nothing. A push running at
            /// that very moment on the producer's thread may still land; its
            /// item is popped like the others, or dropped with the consumer.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (mut producer, mut consumer) = ring::channel(2);
            /// producer.try_push(1).unwrap();
            /// consumer.close_channel();
            /// assert!(producer.try_push(2).unwrap_err().is_disconnected());
            /// assert_eq!(consumer.try_pop(), Ok(1));
            /// assert!(consumer.try_pop().unwrap_err().is_disconnected());
            /// ```
            pub fn close_channel(&mut self) {
                self.inner.close_channel();
            }
        }

        impl<T> ::core::fmt::Debug for Producer<T> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(&self.inner, f)
            }
        }

        impl<T> ::core::fmt::Debug for Consumer<T> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(&self.inner, f)
            }
        }
    };
}

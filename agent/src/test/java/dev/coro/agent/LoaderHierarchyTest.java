package dev.coro.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.transform.ClassHierarchy.ClassInfo;
import org.junit.jupiter.api.Test;

class LoaderHierarchyTest {

    @Test
    void testLookup_readsPlatformAndApplicationClassesWithoutLoadingThem() {
        LoaderHierarchy hierarchy = new LoaderHierarchy(getClass().getClassLoader());

        ClassInfo arrayList = hierarchy.lookup("java/util/ArrayList");
        assertEquals("java/util/AbstractList", arrayList.superName());
        assertFalse(arrayList.isInterface());
        assertTrue(hierarchy.lookup("java/util/List").isInterface());

        ClassInfo options = hierarchy.lookup("dev/coro/agent/AgentOptions");
        assertEquals("java/lang/Record", options.superName());
        assertArrayEquals(new String[0], options.interfaces());

        assertNull(hierarchy.lookup("no/such/Type"));
    }

    @Test
    void testLookup_bootstrapLoaderSeesThePlatform() {
        LoaderHierarchy bootstrap = new LoaderHierarchy(null);
        assertEquals("java/lang/Object", bootstrap.lookup("java/lang/String").superName());
        assertNull(bootstrap.lookup("dev/coro/agent/AgentOptions"));
    }
}
